// service_facts: every systemd service of the host in ansible_facts.services, from two systemctl
// listings in one remote command, parsed the way Ansible does (state from list-units' SUB column,
// status from list-unit-files, with not-found/masked/failed kept as the status when list-units says so).
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';

const schema = Type.Object({}, { additionalProperties: false });
type Args = Static<typeof schema>;

export interface ServiceFact {
  name: string;
  state: string;
  status: string;
  source: 'systemd';
}

interface Current {
  systemctl: boolean;
  units: string;
  unitFiles: string;
}

const BAD_STATES = new Set(['not-found', 'masked', 'failed']);

/** Pure: `list-units --type service --all --plain` and `list-unit-files --type service --plain` → facts. */
export function parseServiceFacts(units: string, unitFiles: string): Record<string, ServiceFact> {
  const services: Record<string, ServiceFact> = {};
  for (const line of units.split('\n')) {
    if (!line.includes('.service')) continue;
    let fields = line.trim().split(/\s+/);
    // A unit marked failed in the first column (without --plain) shifts the columns by one.
    if (fields[0] === '●' || fields[0] === '*') fields = fields.slice(1);
    if (fields.length < 4) continue;
    const bad = fields.slice(1, 4).find((f) => BAD_STATES.has(f));
    const name = fields[0]!;
    services[name] = { name, state: fields[3] === 'running' ? 'running' : 'stopped', status: bad ?? 'unknown', source: 'systemd' };
  }
  for (const line of unitFiles.split('\n')) {
    if (!line.includes('.service') || line.includes('not-found')) continue;
    const [name, status] = line.trim().split(/\s+/);
    if (!name || !status) continue;
    const known = services[name];
    if (!known) services[name] = { name, state: 'inactive', status, source: 'systemd' };
    else if (!BAD_STATES.has(known.status)) known.status = status;
  }
  return services;
}

export const serviceFacts: Module<Args, Current, never> = {
  meta: {
    name: 'service_facts',
    description: "Gather the host's systemd services into ansible_facts.services (name, state, status).",
    platforms: ['linux'],
    checkMode: 'full',
    example: 'service_facts:',
    returns: { ansible_facts: "services: one entry per unit ('sshd.service': {name, state, status, source})." },
  },
  schema,
  async read(ctx) {
    const r = await ctx.run(
      [
        "command -v systemctl >/dev/null 2>&1 || { echo '@no-systemctl'; exit 0; }",
        'systemctl list-units --no-pager --type service --all --plain --no-legend || exit $?',
        "echo '@@files'",
        'systemctl list-unit-files --no-pager --type service --plain --no-legend || exit $?',
      ].join('\n'),
    );
    if (r.stdout.startsWith('@no-systemctl')) return { systemctl: false, units: '', unitFiles: '' };
    if (r.rc !== 0) throw new Error(`systemctl list-units: ${r.stderr.trim() || `exit code ${r.rc}`}`);
    const [units = '', unitFiles = ''] = r.stdout.split('@@files\n');
    return { systemctl: true, units, unitFiles };
  },
  plan(_args, cur) {
    if (!cur.systemctl) return { changes: [], failed: 'systemctl not found: service_facts reads systemd hosts only' };
    const services = parseServiceFacts(cur.units, cur.unitFiles);
    return { changes: [], reason: `${Object.keys(services).length} services`, facts: { services } };
  },
  async apply() {
    return { changed: false };
  },
};
