// Entry point of the inventory layer: every -i source merged, then group_vars/ and host_vars/ beside
// the sources and the playbook, then the group graph checked. All problems are reported together.
import { resolve } from 'node:path';
import { InvalidInputError, type Diagnostic } from '../contract/diagnostics.js';
import type { Inventory } from '../contract/inventory.js';
import { InventoryBuilder } from './builder.js';
import { checkGroupGraph, LOCALHOST_NAMES, ResolvedInventory } from './resolved-inventory.js';
import { addSource } from './sources.js';
import { loadVarsDirLayer } from './vars-dirs.js';

export interface LoadInventoryOptions {
  /** The playbook's directory: its group_vars/ and host_vars/ win over the inventory's. */
  playbookDir?: string;
  /** Relative sources are read from here (default: the process's working directory). */
  cwd?: string;
}

export async function loadInventory(sources: string[], opts: LoadInventoryOptions = {}): Promise<Inventory> {
  const cwd = opts.cwd ?? process.cwd();
  const b = new InventoryBuilder();
  for (const source of sources) await addSource(source, b, cwd);
  const errors: Diagnostic[] = [...b.errors, ...checkGroupGraph(b)];

  const groupNames = [...b.groups.keys()];
  const hostNames = [...b.hosts.keys(), ...LOCALHOST_NAMES.filter((n) => !b.hosts.has(n))];
  const inventorySide = await Promise.all(b.varsDirs.map((d) => loadVarsDirLayer(d, groupNames, hostNames, errors)));
  const playbookSide = opts.playbookDir ? [await loadVarsDirLayer(resolve(cwd, opts.playbookDir), groupNames, hostNames, errors)] : [];
  if (errors.length) throw new InvalidInputError(errors);
  return new ResolvedInventory(b, { inventorySide, playbookSide });
}
