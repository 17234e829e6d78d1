// Reading and writing `.fpplan` files. Writing is atomic (temp file, then rename) and private (0600:
// a plan names hosts and paths); reading checks the format, the version and the schema, with every
// problem placed at file:line:col.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { InvalidInputError } from '../contract/diagnostics.js';
import { parseYaml } from '../load/yaml-source.js';
import { validateWithSchema } from '../validate/validate-with-schema.js';
import { PLAN_FORMAT, PLAN_VERSION, type SavedPlan } from './saved-plan.js';
import { SavedPlanSchema } from './schema.js';

export async function writePlanFile(path: string, plan: SavedPlan): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function readPlanFile(path: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InvalidInputError({ message: `cannot read the plan ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
  }
  const src = parseYaml(text, path);
  const at = { file: path, line: 1, col: 1 };
  const value = src.value as Partial<SavedPlan> | null;
  if (!value || typeof value !== 'object' || value.format !== PLAN_FORMAT) {
    throw new InvalidInputError({ loc: at, message: `${path} is not a fleetplay plan (made by 'fleetplay plan --out FILE')` });
  }
  if (value.version !== PLAN_VERSION) {
    throw new InvalidInputError({ loc: at, message: `plan format version ${String(value.version)} is not supported (this fleetplay reads version ${PLAN_VERSION})` });
  }
  const problems = validateWithSchema(SavedPlanSchema, value, src.locs, at, { rootWhere: 'in the plan' });
  if (problems.length) throw new InvalidInputError(problems);
  return value as SavedPlan;
}
