// Variable files: vars_files, role defaults/ and vars/, and `-e @file.yml`. YAML (and therefore
// JSON); the top level must be a mapping. Values stay raw: templates in them are rendered lazily.
import path from 'node:path';
import type { Loc } from '../contract/diagnostics.js';
import type { VarBlock } from '../contract/playbook.js';
import { describeValue } from '../validate/describe.js';
import { LoadContext } from './context.js';
import { emptyVars, varBlock } from './keywords.js';
import { checkText } from './template-checks.js';

/** Reads a vars file into `ctx` (problems are collected); undefined when unusable. */
export async function readVarsFile(ctx: LoadContext, abs: string, from: Loc | undefined, what: string): Promise<VarBlock | undefined> {
  const src = await ctx.source(abs, from, what);
  if (!src) return undefined;
  if (src.value === undefined || src.value === null) return emptyVars();
  if (typeof src.value !== 'object' || Array.isArray(src.value)) {
    ctx.error(src.loc(''), `${what} must be a mapping of variable names to values, got ${describeValue(src.value)}`);
    return undefined;
  }
  checkText(ctx, src, '', src.value);
  return varBlock(src.value, src, '');
}

/**
 * A vars file on its own (for `-e @file.yml`): throws InvalidInputError (exit 3) when it cannot be
 * read or is not a mapping. Relative paths resolve against the working directory.
 */
export async function loadVarsFile(file: string): Promise<VarBlock> {
  const ctx = new LoadContext({ registry: { get: () => undefined, names: () => [], all: () => [] } });
  const block = await readVarsFile(ctx, path.resolve(file), undefined, 'vars file');
  ctx.throwIfErrors();
  return block!;
}
