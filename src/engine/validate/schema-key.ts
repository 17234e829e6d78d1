// A schema's identity across processes (the build's precompiled validators are found by it): the
// hash of its JSON. TypeBox's symbol keys do not count, and need not: they never reach ajv.
import { createHash } from 'node:crypto';

export function schemaKey(schema: object): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('base64url');
}
