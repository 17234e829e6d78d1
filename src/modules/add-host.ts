// add_host: puts a host (new or known) into groups of the run's in-memory inventory, with variables,
// for the later tasks and plays of the run. Like Ansible's, it runs once per task (loop it to add
// several hosts) and reports changed.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';

const groupList = (description: string) => Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description }));

const schema = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'The host to add (aliases: host, hostname); "name:port" sets ansible_port.' })),
    host: Type.Optional(Type.String({ description: 'Alias of name.' })),
    hostname: Type.Optional(Type.String({ description: 'Alias of name.' })),
    groups: groupList('Groups to put the host in: a list or a comma-separated string (aliases: group, groupname).'),
    group: groupList('Alias of groups.'),
    groupname: groupList('Alias of groups.'),
  },
  { additionalProperties: true, patternProperties: { '^[A-Za-z_][A-Za-z0-9_]*$': {} }, description: 'Any other argument becomes a host variable (ansible_connection, ansible_host, ...).' },
);
type Args = Static<typeof schema>;

const NAME_KEYS = ['name', 'host', 'hostname'];
const GROUP_KEYS = ['groups', 'group', 'groupname'];

export function groupNames(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v.map(String) : String(v).split(',');
  return list.map((g) => g.trim()).filter(Boolean);
}

export const addHost: Module<Args, null, string> = {
  meta: {
    name: 'add_host',
    description: "Add a host to the run's in-memory inventory (and to groups), for later tasks and plays.",
    platforms: ['linux', 'windows'],
    checkMode: 'full',
    runsOn: 'controller',
    once: true,
    example: 'add_host:\n  name: "{{ new_ip }}"\n  groups: [just_created]\n  ansible_user: azureuser',
    returns: { add_host: 'host_name, groups and host_vars of the added host.' },
    verify: 'none',
  },
  schema,
  read: async () => null,
  plan(args) {
    const raw = NAME_KEYS.map((k) => args[k as keyof Args]).find((v) => v !== undefined);
    if (raw === undefined || String(raw).trim() === '') return { changes: [], failed: "add_host needs 'name' (the host to add)" };
    const vars: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) if (!NAME_KEYS.includes(k) && !GROUP_KEYS.includes(k)) vars[k] = v;
    let name = String(raw).trim();
    // "host:port", but not an IPv6 address.
    const m = /^([^:]+):(\d+)$/.exec(name);
    if (m) {
      name = m[1]!;
      vars.ansible_port = Number(m[2]);
    }
    const groups = GROUP_KEYS.flatMap((k) => groupNames(args[k as keyof Args]));
    return {
      changes: [name],
      inventory: [{ host: name, groups, vars }],
      result: { add_host: { host_name: name, groups, host_vars: vars } },
      reason: `added ${name}${groups.length ? ` to ${groups.join(', ')}` : ''}`,
    };
  },
  // Nothing to do on a host: the engine made the inventory change from the plan.
  apply: async () => ({ changed: true }),
};
