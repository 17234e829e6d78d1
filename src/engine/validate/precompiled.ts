// Validators compiled ahead of time, by schema key (schema-key.ts). From the TypeScript sources and the
// file-per-module build there are none: each schema is compiled on first use (5–50 ms each). The
// bundle's build (scripts/precompile-validators.ts) puts ajv's standalone code of every loader,
// inventory and module schema in this module's place.
import type { ValidateFunction } from 'ajv/dist/2020.js';

export const precompiled: ReadonlyMap<string, ValidateFunction> | undefined = undefined;
