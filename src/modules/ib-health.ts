// ib_health: is InfiniBand up on this host, as an HPC job would need it? Read-only (it never changes
// anything, so it is safe in check mode and as a verification step at the end of a play): ports
// active at the expected rate, IPoIB addressed, the Azure agent recent enough and set to bring RDMA
// up, and which OFED is installed. Each problem is one line naming the device, interface or version.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { compareVersions } from '../engine/template/version.js';
import { IB_FACTS_COMMAND, parseIbFacts, type IbFacts, type IbPort } from './lib/ib-facts.js';
import { agentEnablesRdma } from './lib/waagent-conf.js';

const schema = Type.Object(
  {
    expect_ports_active: Type.Optional(
      // A count may arrive as a string (`-e ib_ports_expected=0` is one, as in Ansible).
      Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^(all|[0-9]+)$' })], { description: "How many InfiniBand ports must be ACTIVE/LinkUp: a count, or 'all' (the default) of those the host has; at least one either way unless 0." }),
    ),
    min_rate_gbps: Type.Optional(Type.Number({ minimum: 0, description: 'Every active port must run at least this rate (Gb/s), e.g. 200 for HDR, 400 for NDR.' })),
    require_ipoib_address: Type.Optional(Type.Boolean({ description: 'Every IPoIB interface (ib0, …) must be up with an IPv4 address (default false).' })),
    min_agent_version: Type.Optional(Type.String({ description: "The Azure Linux agent daemon (which sets RDMA up at its start) must be at least this version, e.g. '2.4.0'." })),
    require_agent_rdma: Type.Optional(Type.Boolean({ description: "The agent's waagent.conf must switch RDMA on as the agent reads it (default false)." })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  facts?: IbFacts;
  error?: string;
}

// RoCE ports (link layer Ethernet) share /sys/class/infiniband; they are not what this checks.
const isInfiniBand = (p: IbPort) => p.linkLayer === '' || p.linkLayer === 'InfiniBand';
const isActive = (p: IbPort) => p.state === 'ACTIVE' && p.physState === 'LinkUp';
// ibstat's words (Down/Polling), which is how people quote a port's state; sysfs says DOWN.
const word = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : 'unknown');
const portLine = (p: IbPort) => `${p.device} port ${p.port}: ${word(p.state)}/${p.physState || 'unknown'}`;

/** Every problem of `facts` against `args`, one line each (pure). */
export function ibProblems(args: Args, facts: IbFacts): string[] {
  const problems: string[] = [];
  const ports = facts.ports.filter(isInfiniBand);
  const active = ports.filter(isActive);
  const raw = args.expect_ports_active ?? 'all';
  const expected = raw === 'all' ? 'all' : Number(raw);
  if (expected !== 0 && ports.length === 0) {
    problems.push('no InfiniBand ports under /sys/class/infiniband: is the OFED driver loaded (mlx5_ib)?');
  } else if (expected === 'all') {
    for (const p of ports) if (!active.includes(p)) problems.push(portLine(p));
  } else if (active.length < expected) {
    const down = ports.filter((p) => !active.includes(p)).map(portLine);
    problems.push(`${active.length} of ${ports.length} ports active, ${expected} expected${down.length ? ` (${down.join(', ')})` : ''}`);
  }
  if (args.min_rate_gbps !== undefined) {
    for (const p of active) {
      if (p.rateGbps === undefined || p.rateGbps < args.min_rate_gbps) problems.push(`${p.device} port ${p.port}: rate ${p.rateGbps ?? 'unknown'} Gb/s < ${args.min_rate_gbps}`);
    }
  }
  if (args.require_ipoib_address) {
    if (facts.ipoib.length === 0) problems.push('no IPoIB interface (ib0): is ib_ipoib loaded?');
    for (const i of facts.ipoib) {
      if (i.operstate !== 'UP' && i.operstate !== 'UNKNOWN') problems.push(`${i.name}: ${i.operstate}`);
      else if (i.ipv4.length === 0) problems.push(`${i.name}: no IPv4 address`);
    }
  }
  if (args.min_agent_version !== undefined) {
    if (!facts.agentVersion) problems.push('the Azure Linux agent is not installed (waagent --version gave nothing)');
    else if (compareVersions(facts.agentVersion, args.min_agent_version) < 0) problems.push(`agent ${facts.agentVersion} < ${args.min_agent_version}`);
  }
  if (args.require_agent_rdma && !agentEnablesRdma(facts.agentConf ?? '')) {
    problems.push('the agent does not read RDMA as enabled in /etc/waagent.conf (see waagent_rdma)');
  }
  return problems;
}

export const ibHealth: Module<Args, Current, never> = {
  meta: {
    name: 'ib_health',
    description: 'Check that InfiniBand is up (ports active at rate, IPoIB addressed, agent version and RDMA setting, OFED version); read-only, safe in check mode.',
    platforms: ['linux'],
    checkMode: 'full',
    example: [
      '- name: InfiniBand is healthy',
      '  ib_health:',
      '    expect_ports_active: all',
      '    min_rate_gbps: 200',
      '    require_ipoib_address: true',
      "    min_agent_version: '2.4.0'",
      '  register: ib',
    ].join('\n'),
    returns: {
      ports: 'Each InfiniBand port: device, port, state, phys_state, rate_gbps, link_layer.',
      ipoib: 'Each IPoIB interface: name, operstate, ipv4 (addresses).',
      agent_version: "The Azure Linux agent daemon's version (absent when not installed).",
      goal_state_agent_version: 'The auto-updated agent that handles extensions, when reported.',
      agent_rdma_enabled: 'Whether waagent.conf switches RDMA on as the agent reads it.',
      ofed_version: 'What `ofed_info -s` reports (MLNX_OFED or DOCA-OFED), absent without OFED.',
      problems: 'One line per problem found (empty on a healthy host).',
    },
  },
  schema,

  async read(ctx) {
    const r = await ctx.run(IB_FACTS_COMMAND);
    if (r.rc !== 0) return { error: `reading InfiniBand facts failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}` };
    return { facts: parseIbFacts(r.stdout) };
  },

  plan(args, cur) {
    if (!cur.facts) return { changes: [], failed: cur.error ?? 'no InfiniBand facts' };
    const f = cur.facts;
    const problems = ibProblems(args, f);
    const result = {
      ports: f.ports.map((p) => ({ device: p.device, port: p.port, state: p.state, phys_state: p.physState, rate_gbps: p.rateGbps ?? null, link_layer: p.linkLayer })),
      ipoib: f.ipoib,
      ...(f.agentVersion ? { agent_version: f.agentVersion } : {}),
      ...(f.goalStateAgentVersion ? { goal_state_agent_version: f.goalStateAgentVersion } : {}),
      agent_rdma_enabled: agentEnablesRdma(f.agentConf ?? ''),
      ...(f.ofedVersion ? { ofed_version: f.ofedVersion } : {}),
      problems,
    };
    if (problems.length) return { changes: [], result, failed: problems.join('\n') };
    const ib = f.ports.filter(isInfiniBand);
    const active = ib.filter(isActive).length;
    return { changes: [], result, reason: `${active} of ${ib.length} InfiniBand ports active${f.ofedVersion ? `, ${f.ofedVersion}` : ''}` };
  },

  async apply() {
    // Never called: the plan has no changes.
    return {};
  },
};
