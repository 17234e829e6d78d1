// Ansible's YAML inventory shape, checked structurally with positions:
//   all:
//     hosts: { web1: { ansible_host: 198.18.0.10 } }
//     vars: { ... }
//     children: { gpu: { hosts: { 'gpu[01:04]': } } }
// Top-level keys other than `all` are groups too. JSON files take the same shape.
import { didYouMean, type Loc } from '../contract/diagnostics.js';
import { joinPointer, locAt, type YamlSource } from '../load/yaml-source.js';
import type { InventoryBuilder } from './builder.js';
import { HostSpecError, parseHostSpec } from './host-range.js';

const GROUP_KEYS = ['hosts', 'vars', 'children'];

type Mapping = Record<string, unknown>;

function isMapping(v: unknown): v is Mapping {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'nothing';
  return `a ${typeof v} (${JSON.stringify(v)})`;
}

export function parseYamlInventory(src: YamlSource, inv: InventoryBuilder): void {
  const fallback: Loc = { file: src.file, line: 1, col: 1 };
  const valueLoc = (ptr: string) => locAt(src.locs, ptr, fallback);
  const keyLoc = (ptr: string) => src.locs[`#${ptr}`] ?? valueLoc(ptr);

  const group = (name: string, body: unknown, ptr: string, parent: string | undefined): void => {
    inv.addGroup(name, keyLoc(ptr));
    if (parent) inv.addChild(parent, name, keyLoc(ptr));
    if (body === null || body === undefined) return;
    if (!isMapping(body)) {
      inv.error(valueLoc(ptr), `group '${name}' must be a mapping with hosts, vars or children, not ${describe(body)}`);
      return;
    }
    for (const key of Object.keys(body)) {
      if (GROUP_KEYS.includes(key)) continue;
      const close = didYouMean(key, GROUP_KEYS);
      const hint = close ? `did you mean '${close}'?` : `to put host '${key}' in the group, list it under hosts:`;
      inv.error(keyLoc(joinPointer(ptr, key)), `unexpected key '${key}' in group '${name}': a group has only hosts, vars and children`, hint);
    }
    hosts(name, body.hosts, joinPointer(ptr, 'hosts'));
    const vars = body.vars;
    const varsPtr = joinPointer(ptr, 'vars');
    if (isMapping(vars)) inv.setGroupVars(name, vars, keyLoc(ptr));
    else if (vars !== null && vars !== undefined) inv.error(valueLoc(varsPtr), `vars of group '${name}' must be a mapping of variable names to values, not ${describe(vars)}`);
    const children = body.children;
    const childrenPtr = joinPointer(ptr, 'children');
    if (isMapping(children)) {
      for (const [child, childBody] of Object.entries(children)) group(child, childBody, joinPointer(childrenPtr, child), name);
    } else if (children !== null && children !== undefined) {
      inv.error(valueLoc(childrenPtr), `children of group '${name}' must be a mapping of group names to groups, not ${describe(children)}`);
    }
  };

  const hosts = (groupName: string, list: unknown, ptr: string): void => {
    if (list === null || list === undefined) return;
    if (!isMapping(list)) {
      const hint = Array.isArray(list) ? 'write each host as a key: `hosts: { web1: , web2: }` or one `web1:` per line' : undefined;
      inv.error(valueLoc(ptr), `hosts of group '${groupName}' must be a mapping of host names to their variables, not ${describe(list)}`, hint);
      return;
    }
    for (const [spec, vars] of Object.entries(list)) {
      const hostPtr = joinPointer(ptr, spec);
      if (vars !== null && vars !== undefined && !isMapping(vars)) {
        inv.error(valueLoc(hostPtr), `variables of host '${spec}' must be a mapping, not ${describe(vars)}`);
        continue;
      }
      let parsed;
      try {
        parsed = parseHostSpec(spec);
      } catch (e) {
        if (!(e instanceof HostSpecError)) throw e;
        inv.error(keyLoc(hostPtr), e.message);
        continue;
      }
      for (const name of parsed.names) {
        inv.addHost(name, groupName, keyLoc(hostPtr));
        const own = vars ?? {};
        inv.setHostVars(name, parsed.port !== undefined ? { ansible_port: parsed.port, ...own } : own);
      }
    }
  };

  const root = src.value;
  if (root === null || root === undefined) return;
  if (!isMapping(root)) {
    inv.error(valueLoc(''), `an inventory must be a mapping of group names (usually 'all:') to groups, not ${describe(root)}`);
    return;
  }
  if ('plugin' in root) {
    inv.error(keyLoc('/plugin'), `inventory plugins ('plugin: ${String(root.plugin)}') are not supported; list the hosts in a YAML or INI inventory`);
    return;
  }
  for (const [name, body] of Object.entries(root)) group(name, body, joinPointer('', name), undefined);
}
