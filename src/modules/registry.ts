// The module registry: the only place that lists concrete modules. The engine receives a
// ModuleRegistry and never imports a module itself.
import type { Module, ModuleRegistry } from '../engine/contract/module.js';
import { modules } from './all.js';

export function createRegistry(list: readonly Module[]): ModuleRegistry {
  const byName = new Map<string, Module>();
  const add = (name: string, m: Module) => {
    const prior = byName.get(name);
    if (prior && prior !== m) throw new Error(`module name '${name}' is registered twice`);
    byName.set(name, m);
  };
  for (const m of list) {
    for (const n of [m.meta.name, ...(m.meta.aliases ?? [])]) {
      add(n, m);
      for (const c of m.meta.collections ?? ['ansible.builtin']) add(`${c}.${n}`, m);
      add(`fleetplay.${n}`, m);
    }
  }
  return {
    get: (name) => byName.get(name),
    names: () => [...byName.keys()].sort(),
    all: () => [...list],
  };
}

export const registry: ModuleRegistry = createRegistry(modules);
