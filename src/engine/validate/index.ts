// Validation as the other layers use it: JSON Schema checks with located, friendly messages.
export { validateWithSchema, type SchemaCheckOptions } from './validate-with-schema.js';
export { prepareModuleArgs, validateModuleArgs, type ModuleArgsOptions } from './module-args.js';
export { coerceToSchema } from './coerce.js';
export { isTemplated } from './templated.js';
export { InventoryFileSchema, InventoryGroupSchema, type InventoryFile, type InventoryGroupFile } from './inventory-schema.js';
export { generateSchemaFiles, schemaFileText } from './schema-files.js';
