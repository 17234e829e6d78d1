// The finished, read-only inventory: group tree, ungrouped hosts, and each host's variables merged
// in Ansible's order. Built once after every source and vars directory was read.
import type { Diagnostic } from '../contract/diagnostics.js';
import type { Inventory, InventoryChange, InventoryGroup, InventoryHost } from '../contract/inventory.js';
import type { InventoryBuilder } from './builder.js';
import { selectHosts } from './patterns.js';
import type { VarsDirLayer } from './vars-dirs.js';

/** Names that mean the controller itself; Ansible makes them up on demand ("implicit localhost"). */
export const LOCALHOST_NAMES = ['localhost', '127.0.0.1', '::1'];

export interface VarsLayers {
  /** group_vars/ and host_vars/ beside each inventory source, in -i order (later wins). */
  inventorySide: VarsDirLayer[];
  /** The same beside the playbook; they win over the inventory side, as in Ansible. */
  playbookSide: VarsDirLayer[];
}

/** Checks the group graph (no cycles); returns the problems found. */
export function checkGroupGraph(b: InventoryBuilder): Diagnostic[] {
  const errors: Diagnostic[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    state.set(name, 'visiting');
    for (const edge of b.edges.filter((e) => e.parent === name)) {
      const s = state.get(edge.child);
      if (s === 'visiting') {
        const cycle = [...path.slice(path.indexOf(edge.child)), name, edge.child].join(' → ');
        errors.push({ loc: edge.loc, message: `group '${edge.child}' is a child of itself: ${cycle}` });
      } else if (s === undefined) visit(edge.child, [...path, name]);
    }
    state.set(name, 'done');
  };
  for (const name of b.groups.keys()) if (!state.has(name)) visit(name, []);
  return errors;
}

export class ResolvedInventory implements Inventory {
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  private readonly depth = new Map<string, number>();
  private readonly priority = new Map<string, number>();
  private readonly hostsOfGroup = new Map<string, string[]>();
  private readonly groupsOfHost = new Map<string, string[]>();
  private readonly varsCache = new Map<string, Record<string, unknown>>();

  /** The builder must have passed checkGroupGraph. */
  constructor(
    private readonly b: InventoryBuilder,
    private readonly layers: VarsLayers,
  ) {
    const parents = new Map<string, string[]>();
    for (const e of b.edges) parents.set(e.child, [...(parents.get(e.child) ?? []), e.parent]);
    const all = b.groups.get('all')!;
    const ungrouped = b.groups.get('ungrouped')!;

    // Ansible puts a host in `ungrouped` only when it is in no other group.
    const inSomeGroup = new Set<string>();
    for (const g of b.groups.values()) if (g.name !== 'all' && g.name !== 'ungrouped') for (const h of g.hosts) inSomeGroup.add(h);
    ungrouped.hosts = [...b.hosts.keys()].filter((h) => !inSomeGroup.has(h));
    // `all` lists every host (its direct members in Ansible's sense are spread over its children).
    all.hosts = [...b.hosts.keys()];
    all.children = [...b.groups.keys()].filter((g) => g !== 'all' && !parents.has(g));

    const depthOf = (name: string): number => {
      if (name === 'all') return 0;
      const known = this.depth.get(name);
      if (known !== undefined) return known;
      const d = 1 + Math.max(0, ...(parents.get(name) ?? []).map(depthOf));
      this.depth.set(name, d);
      return d;
    };
    this.depth.set('all', 0);
    for (const g of b.groups.values()) {
      depthOf(g.name);
      // Only the inventory source sets priority, as in Ansible (group_vars/ cannot).
      const p = Number(g.vars.ansible_group_priority ?? 1);
      this.priority.set(g.name, Number.isFinite(p) ? p : 1);
    }

    for (const g of b.groups.values()) this.hostsOfGroup.set(g.name, g.name === 'all' ? all.hosts : this.collectHosts(g.name));
    for (const [g, members] of this.hostsOfGroup) {
      if (g === 'all') continue;
      for (const h of members) this.groupsOfHost.set(h, [...(this.groupsOfHost.get(h) ?? []), g]);
    }

    const hosts = new Map<string, InventoryHost>();
    for (const h of b.hosts.values()) {
      hosts.set(h.name, { name: h.name, vars: { ...h.vars, ...this.fileVars('hosts', h.name) } });
    }
    const groups = new Map<string, InventoryGroup>();
    for (const g of b.groups.values()) {
      groups.set(g.name, { name: g.name, vars: { ...g.vars, ...this.fileVars('groups', g.name) }, hosts: [...g.hosts], children: [...g.children] });
    }
    this.hosts = hosts;
    this.groups = groups;
  }

  // A group's hosts as Ansible lists them: its own, then each descendant's, breadth first, once each.
  private collectHosts(name: string): string[] {
    const seen = new Set<string>();
    const queue = [name];
    const visited = new Set<string>();
    while (queue.length) {
      const g = this.b.groups.get(queue.shift()!)!;
      if (visited.has(g.name)) continue;
      visited.add(g.name);
      for (const h of g.hosts) seen.add(h);
      queue.push(...g.children);
    }
    return [...seen];
  }

  private fileVars(kind: 'groups' | 'hosts', name: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const layer of [...this.layers.inventorySide, ...this.layers.playbookSide]) Object.assign(out, layer[kind].get(name));
    return out;
  }

  private sortedGroups(names: string[]): string[] {
    return [...names].sort((a, b) => this.depth.get(a)! - this.depth.get(b)! || this.priority.get(a)! - this.priority.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * Ansible's order, later entries winning (top-level keys replaced, no deep merge):
   *  1. the `all` group's vars from the inventory source
   *  2. the host's other groups' vars from the inventory source, parents before children
   *     (sorted by depth, then ansible_group_priority, then name)
   *  3. group_vars/all beside each inventory source, then beside the playbook
   *  4. group_vars/<group> beside each inventory source (groups in the order of 2), then beside the playbook
   *  5. the host's own vars from the inventory source (implicit localhost: ansible_connection=local)
   *  6. host_vars/<host> beside each inventory source, then beside the playbook
   * A host the inventory does not know (delegate_to elsewhere) gets only the `all` layers.
   */
  hostVars(host: string): Record<string, unknown> {
    let cached = this.varsCache.get(host);
    if (!cached) {
      const known = this.b.hosts.get(host);
      const implicitLocal = !known && LOCALHOST_NAMES.includes(host);
      const groups = known ? this.sortedGroups(this.groupsOfHost.get(host) ?? []) : [];
      const layers = [...this.layers.inventorySide, ...this.layers.playbookSide];
      const v: Record<string, unknown> = { ...this.b.groups.get('all')!.vars };
      for (const g of groups) Object.assign(v, this.b.groups.get(g)!.vars);
      for (const l of layers) Object.assign(v, l.groups.get('all'));
      for (const sideLayers of [this.layers.inventorySide, this.layers.playbookSide]) {
        for (const l of sideLayers) for (const g of groups) Object.assign(v, l.groups.get(g));
      }
      if (known) Object.assign(v, known.vars);
      if (implicitLocal) v.ansible_connection = 'local';
      if (known || implicitLocal) for (const l of layers) Object.assign(v, l.hosts.get(host));
      cached = v;
      this.varsCache.set(host, cached);
    }
    return { ...cached };
  }

  groupNames(host: string): string[] {
    return [...(this.groupsOfHost.get(host) ?? [])].sort();
  }

  groupsMap(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [g, hosts] of this.hostsOfGroup) out[g] = [...hosts];
    return out;
  }

  extend(change: InventoryChange): Inventory {
    // The builder is this run's own: changing it and resolving again keeps Ansible's merge rules.
    this.b.addHost(change.host);
    if (change.vars) this.b.setHostVars(change.host, change.vars);
    for (const g of change.groups) {
      this.b.addHost(change.host, g);
      for (const p of change.parents ?? []) if (p !== g) this.b.addChild(p, g);
    }
    return new ResolvedInventory(this.b, this.layers);
  }

  select(pattern: string): string[] {
    return selectHosts(
      {
        hostNames: this.hostsOfGroup.get('all')!,
        groupNames: [...this.hostsOfGroup.keys()],
        groupHosts: (g) => this.hostsOfGroup.get(g) ?? [],
      },
      pattern,
    );
  }
}
