// group_vars/ and host_vars/ beside an inventory source or a playbook, found the way Ansible's
// host_group_vars plugin finds them: for entity N the first of `N` (file or directory), `N.yml`,
// `N.yaml`, `N.json`; a directory contributes every such file inside it, recursively, sorted.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError, type Diagnostic } from '../contract/diagnostics.js';
import { parseYaml } from '../load/yaml-source.js';

export type VarsByName = Map<string, Record<string, unknown>>;

export interface VarsDirLayer {
  groups: VarsByName;
  hosts: VarsByName;
}

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

export async function loadVarsDirLayer(basedir: string, groupNames: Iterable<string>, hostNames: Iterable<string>, errors: Diagnostic[]): Promise<VarsDirLayer> {
  const [groups, hosts] = await Promise.all([
    loadKind(join(basedir, 'group_vars'), groupNames, errors),
    loadKind(join(basedir, 'host_vars'), hostNames, errors),
  ]);
  return { groups, hosts };
}

async function loadKind(dir: string, names: Iterable<string>, errors: Diagnostic[]): Promise<VarsByName> {
  const out: VarsByName = new Map();
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out; // no such directory: nothing to add
  }
  const byName = new Map(entries.map((e) => [e.name, e]));
  const jobs: Array<Promise<void>> = [];
  for (const name of names) {
    const hit = EXTENSIONS.map((ext) => byName.get(name + ext)).find((e) => e !== undefined);
    if (!hit) continue;
    const path = join(dir, hit.name);
    jobs.push(
      (async () => {
        const files = hit.isDirectory() ? await listVarsFiles(path) : [path];
        const merged: Record<string, unknown> = {};
        for (const f of files) Object.assign(merged, await readVarsFile(f, errors));
        out.set(name, merged);
      })(),
    );
  }
  await Promise.all(jobs);
  return out;
}

async function listVarsFiles(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name.endsWith('~')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listVarsFiles(path)));
    else if (EXTENSIONS.some((ext) => ext !== '' && e.name.endsWith(ext)) || !e.name.includes('.')) out.push(path);
  }
  return out;
}

/** A vars file must hold a mapping (or nothing); problems are collected, not thrown. */
export async function readVarsFile(file: string, errors: Diagnostic[]): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    errors.push({ loc: { file, line: 1, col: 1 }, message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
    return {};
  }
  try {
    const { value, locs } = parseYaml(text, file);
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      errors.push({ loc: locs[''] ?? { file, line: 1, col: 1 }, message: `a vars file must hold a mapping of variable names to values, not ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}` });
      return {};
    }
    return value as Record<string, unknown>;
  } catch (e) {
    if (!(e instanceof InvalidInputError)) throw e;
    errors.push(...e.diagnostics);
    return {};
  }
}
