// What a saved plan was made from, as digests that apply checks again before anything runs: every
// file under the playbooks' directories (roles, vars files, templates and files sit there, and a
// dynamic include or a `src:` is only found at run time, so the whole tree is bound rather than the
// files the loader happened to read), the resolved inventory and the extra variables. Digests are
// salted: inventory and extra vars may hold passwords.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InvalidInputError } from '../contract/diagnostics.js';
import type { Inventory } from '../contract/inventory.js';
import type { PlanInputs } from './schema.js';
import { saltedDigest } from './saved-plan.js';

/** A playbook tree bigger than this is not a project directory (a home or /): say so, do not hash it. */
const MAX_FILES = 20000;

/** Hidden entries (.git, the handler journal), dependencies and plan files are not run inputs. */
const skipped = (name: string) => name.startsWith('.') || name === 'node_modules' || name.endsWith('.fpplan');

export async function digestTrees(dirs: readonly string[], cwd: string): Promise<PlanInputs['playbooks']> {
  const files = new Map<string, string>();
  for (const dir of [...new Set(dirs)].sort()) await walk(dir, files, cwd);
  const list = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, sha256]) => ({ path, sha256 }));
  const all = createHash('sha256');
  for (const f of list) all.update(`${f.path}\0${f.sha256}\n`);
  return { sha256: all.digest('hex'), files: list };
}

async function walk(dir: string, out: Map<string, string>, cwd: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (skipped(e.name)) continue;
    const abs = join(dir, e.name);
    if (e.isDirectory()) await walk(abs, out, cwd);
    else if (e.isFile()) {
      if (out.size >= MAX_FILES) {
        throw new InvalidInputError({ message: `more than ${MAX_FILES} files under ${dir}: keep playbooks in a project directory of their own to plan them` });
      }
      out.set(relative(cwd, abs) || abs, createHash('sha256').update(await readFile(abs)).digest('hex'));
    }
  }
}

/** Hosts with their merged variables and groups: what the run sees of the inventory. */
export function inventoryDigest(salt: string, inventories: readonly Inventory[]): string {
  return saltedDigest(
    salt,
    inventories.map((inv) => [...inv.hosts.keys()].sort().map((h) => ({ host: h, vars: inv.hostVars(h), groups: inv.groupNames(h) }))),
  );
}

/** The first input that differs, in words naming it; undefined when the plan's inputs still hold. */
export function inputsDiffer(saved: PlanInputs, now: PlanInputs): string | undefined {
  if (saved.playbooks.sha256 !== now.playbooks.sha256) {
    const before = new Map(saved.playbooks.files.map((f) => [f.path, f.sha256]));
    const after = new Map(now.playbooks.files.map((f) => [f.path, f.sha256]));
    for (const [path, sha] of after) {
      if (!before.has(path)) return `${path} was added since the plan was made`;
      if (before.get(path) !== sha) return `${path} changed since the plan was made`;
    }
    for (const path of before.keys()) if (!after.has(path)) return `${path} was removed since the plan was made`;
    return 'the playbook files changed since the plan was made';
  }
  if (saved.inventory !== now.inventory) return 'the inventory (hosts, groups or their variables) changed since the plan was made';
  if (saved.extraVars !== now.extraVars) return 'the extra variables (-e) differ from those the plan was made with';
  return undefined;
}
