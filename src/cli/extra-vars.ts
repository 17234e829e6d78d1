// `-e` values as ansible-playbook accepts them: `k=v k2="a b"`, a JSON/YAML mapping, or `@file.yml`.
// Each -e is one VarBlock; later ones win.
import { resolve } from 'node:path';
import { InvalidInputError, UsageError } from '../engine/contract/diagnostics.js';
import type { VarBlock } from '../engine/contract/playbook.js';
import { parseYaml } from '../engine/load/yaml-source.js';
import { requireVarsFile } from './command-line-paths.js';
import { splitKeyValues } from './key-values.js';

export type VarsFileLoader = (path: string) => Promise<VarBlock>;

export async function parseExtraVars(values: readonly string[], loadVarsFile: VarsFileLoader): Promise<VarBlock> {
  const vars: Record<string, unknown> = {};
  const locs: Record<string, VarBlock['locs'][string]> = {};
  for (const [i, raw] of values.entries()) {
    const where = `-e #${i + 1}`;
    let block: VarBlock;
    if (raw.startsWith('@')) {
      block = await varsFileAt(raw.slice(1), where, loadVarsFile);
    } else if (/^\s*[{[]/.test(raw)) {
      const src = parseYaml(raw, where);
      if (!src.value || typeof src.value !== 'object' || Array.isArray(src.value)) {
        throw new InvalidInputError({ loc: { file: where, line: 1, col: 1 }, message: 'extra vars must be a mapping (JSON/YAML object), key=value pairs, or @file' });
      }
      block = { vars: src.value as Record<string, unknown>, locs: src.locs };
    } else {
      const pairs = splitKeyValues(raw, where);
      const kv: Record<string, unknown> = {};
      for (const [k, v] of pairs) kv[k] = v;
      block = { vars: kv, locs: {} };
    }
    Object.assign(vars, block.vars);
    for (const k of Object.keys(block.vars)) {
      const loc = block.locs[`/${k}`];
      locs[`/${k}`] = loc ?? { file: where, line: 1, col: 1 };
    }
  }
  return { vars, locs };
}

/** `@file`: problems inside the file point into it; a file that cannot be read points at the -e. */
async function varsFileAt(name: string, where: string, loadVarsFile: VarsFileLoader): Promise<VarBlock> {
  const at = { file: where, line: 1, col: 2 };
  if (name.trim() === '') throw new UsageError(`${where}: expected a file name after '@'`);
  await requireVarsFile(resolve(name), `-e @${name}`);
  try {
    return await loadVarsFile(resolve(name));
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    throw new InvalidInputError(err.diagnostics.map((d) => (d.loc ? d : { ...d, loc: at })));
  }
}
