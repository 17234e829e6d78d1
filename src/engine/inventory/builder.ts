// The mutable inventory every source parser writes into. Sources are merged the way Ansible merges
// several -i sources: group membership is a union, and a later source's variables win.
import type { Diagnostic, Loc } from '../contract/diagnostics.js';

export interface BuiltGroup {
  name: string;
  /** Variables written in the inventory source itself (not group_vars/). */
  vars: Record<string, unknown>;
  hosts: string[];
  children: string[];
  /** Where the group was first declared, for error messages. */
  loc?: Loc;
}

export interface BuiltHost {
  name: string;
  vars: Record<string, unknown>;
}

export interface ChildEdge {
  parent: string;
  child: string;
  loc?: Loc;
}

export class InventoryBuilder {
  readonly hosts = new Map<string, BuiltHost>();
  readonly groups = new Map<string, BuiltGroup>();
  readonly edges: ChildEdge[] = [];
  readonly errors: Diagnostic[] = [];
  /** Directories whose group_vars/ and host_vars/ belong to the inventory side, in source order. */
  readonly varsDirs: string[] = [];

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
  }

  error(loc: Loc | undefined, message: string, hint?: string): void {
    this.errors.push(hint ? { loc, message, hint } : { loc, message });
  }

  addGroup(name: string, loc?: Loc): BuiltGroup {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, vars: {}, hosts: [], children: [], loc };
      this.groups.set(name, g);
    }
    return g;
  }

  addHost(name: string, group?: string, loc?: Loc): BuiltHost {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, vars: {} };
      this.hosts.set(name, h);
    }
    if (group && group !== 'all') {
      const g = this.addGroup(group, loc);
      if (!g.hosts.includes(name)) g.hosts.push(name);
    }
    return h;
  }

  addChild(parent: string, child: string, loc?: Loc): void {
    const p = this.addGroup(parent, loc);
    this.addGroup(child, loc);
    if (parent === 'all') return; // every group already hangs under `all`
    if (child === 'all') {
      this.error(loc, `group 'all' cannot be a child of '${parent}'`);
      return;
    }
    if (!p.children.includes(child)) {
      p.children.push(child);
      this.edges.push({ parent, child, loc });
    }
  }

  setHostVars(name: string, vars: Record<string, unknown>): void {
    Object.assign(this.addHost(name).vars, vars);
  }

  setGroupVars(name: string, vars: Record<string, unknown>, loc?: Loc): void {
    Object.assign(this.addGroup(name, loc).vars, vars);
  }

  addVarsDir(dir: string): void {
    // A later source wins, so a directory seen again moves to the end.
    const at = this.varsDirs.indexOf(dir);
    if (at >= 0) this.varsDirs.splice(at, 1);
    this.varsDirs.push(dir);
  }
}
