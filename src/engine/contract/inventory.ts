// The resolved inventory: hosts, groups and their variables, after every -i source was merged.

export interface InventoryHost {
  name: string;
  /** Host's own vars (inline, host_vars/), not yet merged with its groups'. */
  vars: Record<string, unknown>;
}

export interface InventoryGroup {
  name: string;
  vars: Record<string, unknown>;
  /** Direct member hosts in definition order. */
  hosts: string[];
  /** Direct child groups. */
  children: string[];
}

/** add_host / group_by: a host (new or known) joins groups; new groups may get parents. */
export interface InventoryChange {
  host: string;
  groups: string[];
  /** Groups that each of `groups` becomes a child of (group_by's parents). */
  parents?: string[];
  /** Host variables to set (add_host's extra arguments). */
  vars?: Record<string, unknown>;
}

export interface Inventory {
  /** All hosts in definition order. */
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  /** All groups, including `all` and `ungrouped`. */
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  /**
   * The host's inventory variables merged in Ansible's order: `all` group, then other groups by depth
   * (parents before children; same depth by name), then host vars (inventory, then host_vars/).
   */
  hostVars(host: string): Record<string, unknown>;
  /** Every group the host is in (ancestors included), sorted, without `all` (Ansible's group_names). */
  groupNames(host: string): string[];
  /** group → hosts (transitively, definition order), for the `groups` magic variable. */
  groupsMap(): Record<string, string[]>;
  /** Hosts matching an Ansible pattern (`all`, globs, `a:b`, `a:&b`, `a:!b`, `~regex`), inventory order. */
  select(pattern: string): string[];
  /** The inventory with `change` made, for later tasks and plays of the run (add_host, group_by). */
  extend?(change: InventoryChange): Inventory;
}
