// Ansible's magic variables. `hostvars` is a lazy Proxy: hostvars[h].x looks x up in h's layers at
// the moment it is read, so no task ever builds every host's full variable dict (500 hosts × 10
// tasks would otherwise be O(hosts²) work per task).
import type { VarLayer } from '../contract/template.js';
import type { HostState } from './host-state.js';
import type { Inventory } from '../contract/inventory.js';
import type { Templater } from '../contract/template.js';
import type { TagFilter } from './tags.js';

/**
 * What the magic variables read from the run (RunContext has it). Named here rather than imported,
 * because RunContext builds its hostvars with this file.
 */
export interface MagicVarsRun {
  readonly inventory: Inventory;
  readonly templater: Templater;
  readonly extraLayer: VarLayer;
  readonly groups: Record<string, string[]>;
  readonly hostvars: Record<string, unknown>;
  readonly playbookDir: string;
  readonly checkMode: boolean;
  readonly diffMode: boolean;
  readonly forks: number;
  readonly tagFilter: TagFilter;
  host(name: string): HostState;
}

const hostvarsLoc = (host: string, key: string) => ({ file: `hostvars['${host}'].${key}`, line: 1, col: 1 });

/** Variables of `h` visible through hostvars, lowest precedence first (no play or task scope). */
export function hostScopeLayers(run: MagicVarsRun, h: HostState): VarLayer[] {
  return [h.inventoryLayer, h.factsLayer, h.includedLayer, h.runtimeLayer, run.extraLayer, hostBasics(run, h)];
}

function hostBasics(run: MagicVarsRun, h: HostState): VarLayer {
  return {
    name: 'magic vars',
    trusted: false,
    vars: {
      inventory_hostname: h.name,
      inventory_hostname_short: h.name.split('.')[0],
      group_names: h.groupNames,
      groups: run.groups,
    },
  };
}

export function createHostvars(run: MagicVarsRun): Record<string, unknown> {
  const perHost = new Map<string, Record<string, unknown>>();
  const forHost = (name: string) => {
    let p = perHost.get(name);
    if (!p) {
      p = hostView(run, name);
      perHost.set(name, p);
    }
    return p;
  };
  return new Proxy({} as Record<string, unknown>, {
    get: (_t, key) => (typeof key === 'string' && run.inventory.hosts.has(key) ? forHost(key) : undefined),
    has: (_t, key) => typeof key === 'string' && run.inventory.hosts.has(key),
    ownKeys: () => [...run.inventory.hosts.keys()],
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === 'string' && run.inventory.hosts.has(key)
        ? { enumerable: true, configurable: true, writable: false, value: forHost(key) }
        : undefined,
  });
}

/** One host's vars as a read-only object whose properties resolve through its layers on access. */
function hostView(run: MagicVarsRun, name: string): Record<string, unknown> {
  const layers = () => hostScopeLayers(run, run.host(name));
  const lookup = (key: string): unknown => {
    const ls = layers();
    for (let i = ls.length - 1; i >= 0; i--) {
      const layer = ls[i]!;
      if (!Object.prototype.hasOwnProperty.call(layer.vars, key)) continue;
      const value = layer.vars[key];
      if (!layer.trusted || !containsTemplate(run, value)) return value;
      return run.templater.render(value, ls, layer.locs?.[`/${key}`] ?? hostvarsLoc(name, key), undefined);
    }
    return undefined;
  };
  const keys = () => {
    const all = new Set<string>();
    for (const l of layers()) for (const k of Object.keys(l.vars)) all.add(k);
    return [...all];
  };
  return new Proxy({} as Record<string, unknown>, {
    get: (_t, key) => (typeof key === 'string' ? lookup(key) : undefined),
    has: (_t, key) => typeof key === 'string' && layers().some((l) => Object.prototype.hasOwnProperty.call(l.vars, key)),
    ownKeys: () => keys(),
    getOwnPropertyDescriptor: (_t, key) => {
      if (typeof key !== 'string' || !layers().some((l) => Object.prototype.hasOwnProperty.call(l.vars, key))) return undefined;
      return { enumerable: true, configurable: true, writable: false, value: lookup(key) };
    },
  });
}

function containsTemplate(run: MagicVarsRun, value: unknown): boolean {
  if (typeof value === 'string') return run.templater.isTemplated(value);
  if (Array.isArray(value)) return value.some((v) => containsTemplate(run, v));
  if (value && typeof value === 'object') return Object.values(value).some((v) => containsTemplate(run, v));
  return false;
}

/** Per play and host: the magic vars that depend on the play (computed lazily, cached by the play). */
export interface PlayMagicSource {
  run: MagicVarsRun;
  playName: string;
  /** Hosts of the current batch still in the play (ansible_play_hosts / play_hosts / ansible_play_batch). */
  activeNames(): string[];
  /** All hosts the play targets (ansible_play_hosts_all). */
  allNames: readonly string[];
}

export function playMagicLayer(src: PlayMagicSource, h: HostState): VarLayer {
  const { run } = src;
  const vars: Record<string, unknown> = {
    inventory_hostname: h.name,
    inventory_hostname_short: h.name.split('.')[0],
    hostvars: run.hostvars,
    ansible_play_hosts_all: src.allNames,
    ansible_play_name: src.playName,
    playbook_dir: run.playbookDir,
    ansible_check_mode: run.checkMode,
    ansible_diff_mode: run.diffMode,
    ansible_forks: run.forks,
    ansible_run_tags: run.tagFilter.only.length ? [...run.tagFilter.only] : ['all'],
    ansible_skip_tags: [...run.tagFilter.skip],
  };
  // add_host and group_by change these during the play.
  Object.defineProperty(vars, 'group_names', { enumerable: true, get: () => h.groupNames });
  Object.defineProperty(vars, 'groups', { enumerable: true, get: () => run.groups });
  for (const key of ['play_hosts', 'ansible_play_hosts', 'ansible_play_batch']) {
    Object.defineProperty(vars, key, { enumerable: true, get: () => src.activeNames() });
  }
  return { name: 'magic vars', vars, trusted: false };
}
