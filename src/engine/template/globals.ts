// Functions available by name in templates. `lookup`/`query` run on the controller (as in Ansible):
// `env` reads fleetplay's own environment and `file` reads a file next to the playbook or role.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Args } from './args.js';
import { MISSING, type RenderContext } from './context.js';
import { OMIT } from './omit.js';
import { pyRepr } from './py-values.js';
import { isUndefined } from './undefined.js';

function range(this: RenderContext, ...raw: unknown[]): number[] {
  const a = new Args(raw).allow([]);
  const nums = a.pos.map((x) => {
    if (typeof x !== 'number' || !Number.isInteger(x)) throw new Error(`range() arguments must be integers, got ${JSON.stringify(x)}`);
    return x;
  });
  const [start, stop, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 1];
  if (step === 0) throw new Error('range() step must not be zero');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i);
    if (out.length > 100_000) throw new Error('range() is limited to 100000 items');
  }
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function readLookupFile(ctx: RenderContext, path: string): string {
  const candidates: string[] = [];
  if (isAbsolute(path)) candidates.push(path);
  else {
    const role = str(ctx.scope.lookup('role_path'));
    const playbook = str(ctx.scope.lookup('playbook_dir'));
    if (role) candidates.push(join(role, 'files', path), join(role, path));
    if (playbook) candidates.push(join(playbook, 'files', path), join(playbook, path));
    candidates.push(path);
  }
  for (const c of candidates) {
    try {
      return readFileSync(c, 'utf8').replace(/\s+$/, '');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new Error(`lookup('file', '${path}'): cannot read ${c}: ${code ?? err}`, { cause: err });
    }
  }
  throw new Error(`lookup('file', '${path}'): file not found (looked in: ${candidates.join(', ')})`);
}

function runLookup(ctx: RenderContext, raw: unknown[]): unknown[] {
  const a = new Args(raw);
  const [plugin, ...terms] = a.pos;
  const fallback = a.kw.default;
  switch (plugin) {
    case 'env':
      a.allow(['default']);
      return terms.map((t) => process.env[String(t)] ?? (fallback !== undefined ? fallback : ''));
    case 'file':
      a.allow([]);
      return terms.map((t) => readLookupFile(ctx, String(t)));
    case 'vars':
      a.allow(['default']);
      return terms.map((t) => {
        const v = ctx.scope.lookup(String(t));
        if (v === MISSING || isUndefined(v)) {
          if (fallback !== undefined) return fallback;
          throw new Error(`lookup('vars', '${String(t)}'): no variable named '${String(t)}'`);
        }
        return v;
      });
    default:
      if (typeof plugin !== 'string') throw new Error(`the lookup plugin's name must be a string, got ${pyRepr(plugin)}`);
      throw new Error(`no lookup plugin named '${plugin}' (fleetplay has env, file, vars)`);
  }
}

export const GLOBALS: Record<string, unknown> = {
  range,
  /** One term → its value; several → joined with commas (Ansible's wantlist=False). */
  lookup(this: RenderContext, ...raw: unknown[]): unknown {
    const a = new Args(raw);
    const wantList = a.kw.wantlist === true;
    delete a.kw.wantlist;
    const values = runLookup(this, [...a.pos, { ...a.kw, __keywords: true }]);
    if (wantList) return values;
    return values.length === 1 ? values[0] : values.map(String).join(',');
  },
  query(this: RenderContext, ...raw: unknown[]): unknown[] {
    return runLookup(this, raw);
  },
  dict(...raw: unknown[]): Record<string, unknown> {
    const a = new Args(raw);
    const out: Record<string, unknown> = {};
    for (const p of a.pos) {
      if (!Array.isArray(p)) throw new Error('dict() takes keyword arguments or a list of [key, value] pairs');
      for (const pair of p) if (Array.isArray(pair) && pair.length === 2) out[String(pair[0])] = pair[1];
    }
    return Object.assign(out, a.kw);
  },
  omit: OMIT,
};
GLOBALS.q = GLOBALS.query;
