// What one `-i` argument means: an INI or YAML file, a directory of them (Ansible reads every file
// in it, sorted, skipping hidden and backup files and the vars directories), or a comma-separated
// host list (`-i web1,web2` or `-i localhost,`).
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InvalidInputError } from '../contract/diagnostics.js';
import { parseYaml } from '../load/yaml-source.js';
import type { InventoryBuilder } from './builder.js';
import { HostSpecError, parseHostSpec } from './host-range.js';
import { parseIniInventory } from './ini.js';
import { parseYamlInventory } from './yaml-inventory.js';

// ansible-core's INVENTORY_IGNORE_EXTS default (REJECT_EXTS + .orig .cfg .retry).
const IGNORED_EXTENSIONS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.cfg', '.retry'];
const YAML_EXTENSIONS = ['.yml', '.yaml', '.json'];

export async function addSource(source: string, inv: InventoryBuilder, cwd: string): Promise<void> {
  const path = resolve(cwd, source);
  let kind: 'file' | 'dir' | 'missing';
  try {
    kind = (await stat(path)).isDirectory() ? 'dir' : 'file';
  } catch {
    kind = 'missing';
  }
  if (kind === 'missing') {
    if (source.includes(',')) addHostList(source, inv);
    else inv.error(undefined, `inventory source '${source}' does not exist`, "give a file, a directory, or a host list ending in ',' such as 'web1,'");
    return;
  }
  if (kind === 'dir') {
    inv.addVarsDir(path);
    await addDirectory(path, inv, source);
  } else {
    inv.addVarsDir(dirname(path));
    await addFile(path, inv, source);
  }
}

function addHostList(list: string, inv: InventoryBuilder): void {
  for (const spec of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    try {
      const { names, port } = parseHostSpec(spec);
      for (const name of names) {
        inv.addHost(name, 'ungrouped');
        if (port !== undefined) inv.setHostVars(name, { ansible_port: port });
      }
    } catch (e) {
      if (!(e instanceof HostSpecError)) throw e;
      inv.error(undefined, `inventory host list '${list}': ${e.message}`);
    }
  }
}

async function addDirectory(dir: string, inv: InventoryBuilder, shown: string): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'group_vars' || e.name === 'host_vars') continue;
    if (IGNORED_EXTENSIONS.some((ext) => e.name.endsWith(ext))) continue;
    const path = join(dir, e.name);
    const label = join(shown, e.name);
    if (e.isDirectory()) await addDirectory(path, inv, label);
    else await addFile(path, inv, label);
  }
}

/** `shown` is the path as the user wrote it, so messages point at files the way they know them. */
async function addFile(path: string, inv: InventoryBuilder, shown: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    inv.error({ file: shown, line: 1, col: 1 }, `cannot read inventory: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return;
  }
  const at = { file: shown, line: 1, col: 1 };
  if (text.startsWith('#!')) {
    inv.error(at, `'${basename(path)}' is an inventory script; scripts and dynamic inventories are not supported`, 'write its output to a YAML file and use that');
    return;
  }
  if (text.startsWith('$ANSIBLE_VAULT')) {
    inv.error(at, 'Ansible Vault encrypted inventories are not supported');
    return;
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.toml') {
    inv.error(at, 'TOML inventories are not supported; use INI or YAML');
    return;
  }
  if (!YAML_EXTENSIONS.includes(ext)) {
    parseIniInventory(text, shown, inv);
    return;
  }
  try {
    parseYamlInventory(parseYaml(text, shown), inv);
  } catch (e) {
    if (!(e instanceof InvalidInputError)) throw e;
    inv.errors.push(...e.diagnostics);
  }
}
