// A playbook file: a list of plays and `import_playbook` entries (relative to the importing file),
// read recursively into one flat list of plays with run-wide unique ids (p0, p1, ...).
import path from 'node:path';
import type { Loc } from '../contract/diagnostics.js';
import type { Play, Playbook } from '../contract/playbook.js';
import { describeValue } from '../validate/describe.js';
import { ImportPlaybookSchema } from '../validate/playbook-schema.js';
import { isTemplated } from '../validate/templated.js';
import { checkKeywords } from './check-keywords.js';
import { LoadContext, type LoadOptions } from './context.js';
import { inherit, mergeVars } from './inherit.js';
import { commonParts, type Raw } from './keywords.js';
import { parsePlay } from './play.js';
import { displayPath, type Source } from './source.js';
import { joinPointer } from './yaml-source.js';

/**
 * Loads and validates a playbook with everything it imports. Throws InvalidInputError listing every
 * problem found (file:line:col each); nothing has been run at that point.
 */
export async function loadPlaybook(file: string, opts: LoadOptions): Promise<Playbook> {
  const ctx = new LoadContext(opts);
  const abs = path.resolve(file);
  ctx.playbookDir = path.dirname(abs);
  const plays = await playbookFile(abs, undefined, ctx);
  ctx.throwIfErrors();
  return { path: abs, plays };
}

/**
 * Several playbooks of one run (`fleetplay a.yml b.yml`): one id space (p0, p1, ... across files)
 * and every problem of every file reported together.
 */
export async function loadPlaybooks(files: readonly string[], opts: LoadOptions): Promise<Playbook[]> {
  const ctx = new LoadContext(opts);
  const out: Playbook[] = [];
  for (const file of files) {
    const abs = path.resolve(file);
    ctx.playbookDir = path.dirname(abs);
    out.push({ path: abs, plays: await playbookFile(abs, undefined, ctx) });
  }
  ctx.throwIfErrors();
  return out;
}

async function playbookFile(abs: string, from: Loc | undefined, ctx: LoadContext): Promise<Play[]> {
  const src = await ctx.source(abs, from, 'playbook');
  if (!src) return [];
  if (src.value === undefined || src.value === null) {
    ctx.error(src.loc(''), 'the playbook is empty', 'a playbook is a list of plays, each with hosts and tasks');
    return [];
  }
  if (!Array.isArray(src.value)) {
    ctx.error(src.loc(''), `a playbook must be a list of plays, got ${describeValue(src.value)}`, "start each play with '- hosts: ...'");
    return [];
  }
  ctx.importStack.push(abs);
  try {
    const plays: Play[] = [];
    for (let i = 0; i < src.value.length; i++) {
      const ptr = joinPointer('', i);
      const entry = src.value[i] as unknown;
      const key = importKey(entry);
      if (key) plays.push(...(await importPlaybook(entry as Raw, key, ptr, src, ctx)));
      else {
        const play = await parsePlay(entry, ptr, src, ctx);
        if (play) plays.push(play);
      }
    }
    return plays;
  } finally {
    ctx.importStack.pop();
  }
}

function importKey(entry: unknown): string | undefined {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  return Object.keys(entry).find((k) => k === 'import_playbook' || k === 'ansible.builtin.import_playbook');
}

/** `- import_playbook: other.yml` with optional vars (the imported plays' defaults), tags and when. */
async function importPlaybook(entry: Raw, key: string, ptr: string, src: Source, ctx: LoadContext): Promise<Play[]> {
  const raw: Raw = { ...entry };
  if (key !== 'import_playbook') {
    raw.import_playbook = raw[key];
    delete raw[key];
  }
  const before = ctx.errorCount;
  const checked = checkKeywords(ImportPlaybookSchema, raw, ptr, src, ctx, 'in import_playbook');
  if (ctx.errorCount > before) return [];
  const target = checked.import_playbook as string;
  const loc = src.loc(joinPointer(ptr, key));
  if (isTemplated(target)) {
    ctx.error(loc, 'import_playbook cannot use variables in its path (it is read when the playbook loads)');
    return [];
  }
  const abs = path.resolve(src.dir, target);
  if (ctx.importStack.includes(abs)) {
    const chain = [...ctx.importStack.slice(ctx.importStack.indexOf(abs)), abs].map(displayPath).join(' → ');
    ctx.error(loc, `import cycle: ${chain}`);
    return [];
  }
  const plays = await playbookFile(abs, loc, ctx);
  const common = commonParts(checked, src, ptr, ctx);
  for (const play of plays) {
    play.vars = mergeVars(common.vars, play.vars);
    play.tags = [...new Set([...common.tags, ...play.tags])];
    inherit(play.items, { when: common.when, tags: common.tags });
  }
  return plays;
}
