// waagent_rdma: make the Azure Linux agent READ RDMA as on (or off), judged by the agent's own parser
// (lib/waagent-conf.ts), not by a regex that happens to match. Microsoft's documented sed does not match the stock
// file and silently changes nothing; a later duplicate line would silently override an earlier one.
import Type, { type Static } from 'typebox';
import type { HostContext, Module, Plan, PlanContext } from '../engine/contract/module.js';
import { agentEnablesRdma, RDMA_SWITCHES, setAgentKey, type AgentSetting } from './lib/waagent-conf.js';

export { agentValue, setAgentKey } from './lib/waagent-conf.js';

const schema = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('enabled'), Type.Literal('disabled')], { description: 'enabled sets OS.EnableRDMA=y; disabled turns off every switch the agent reads as y among OS.EnableRDMA, OS.UpdateRdmaDriver and OS.CheckRdmaDriver (any one of them switches RDMA on)', default: 'enabled' })),
    update_rdma_driver: Type.Optional(Type.Boolean({ description: 'also set OS.UpdateRdmaDriver to y (true) or n (false); untouched when omitted' })),
    path: Type.Optional(Type.String({ description: "the agent's configuration file", default: '/etc/waagent.conf' })),
    backup: Type.Optional(Type.Boolean({ description: 'keep a timestamped copy of the old file beside it', default: false })),
    create: Type.Optional(Type.Boolean({ description: 'create the file when missing (otherwise a missing file fails: is the agent installed?)', default: false })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  path: string;
  exists: boolean;
  content: string;
}

export function agentServiceName(facts: Readonly<Record<string, unknown>>): string {
  return facts.os_family === 'Debian' ? 'walinuxagent' : 'waagent';
}

function desiredSettings(args: Args): AgentSetting[] {
  // The agent turns RDMA on when ANY of the three switches is y: off means all three off.
  if (args.state === 'disabled') return RDMA_SWITCHES.map((key) => ({ key, want: 'n' as const }));
  const out: AgentSetting[] = [{ key: 'OS.EnableRDMA', want: 'y' }];
  if (args.update_rdma_driver !== undefined) out.push({ key: 'OS.UpdateRdmaDriver', want: args.update_rdma_driver ? 'y' : 'n' });
  return out;
}

function edit(content: string, args: Args): { after: string; changes: string[] } {
  let after = content;
  const changes: string[] = [];
  for (const setting of desiredSettings(args)) {
    const next = setAgentKey(after, setting);
    if (next !== after) changes.push(`${setting.key}=${setting.want}`);
    after = next;
  }
  return { after, changes };
}

/** One write of the whole file; `settings` says which keys it sets (for review). */
interface Change {
  path: string;
  content: string;
  settings: string[];
  backup: boolean;
  create: boolean;
}

export const waagentRdma: Module<Args, Current, Change> = {
  meta: {
    name: 'waagent_rdma',
    description: "Enable (or disable) RDMA in the Azure Linux agent's waagent.conf as the agent itself reads it; notify a handler to restart the agent.",
    platforms: ['linux'],
    checkMode: 'full',
    notes: [
      "How the agent reads the file (WALinuxAgent's configuration parser), and so how this module judges it: " +
        'a line starting with `#` at column 0, or without `=`, is skipped; the rest is split at the first `=`; ' +
        'the key is the left part with surrounding whitespace removed (so a line ` # OS.EnableRDMA=y` with a leading space ' +
        'defines a key named `# OS.EnableRDMA` and changes nothing); the value is cut at its first `#` and stripped of ' +
        'quotes and spaces; `None` means unset; the last line for a key wins. A switch is on only for `y` (any case): ' +
        '`OS.EnableRDMA=y extra`, `yes` or `\'y\'` mean the default, off. RDMA comes up when any of `OS.EnableRDMA`, ' +
        '`OS.UpdateRdmaDriver`, `OS.CheckRdmaDriver` is on, so `state: disabled` turns off each of them that is on.',
      'The agent reads the file only when it starts: notify a handler that restarts it (`agent_service`).',
    ],
    example: [
      '- name: Enable RDMA in the Azure Linux agent',
      '  waagent_rdma:',
      '    state: enabled',
      '    backup: true',
      '  notify: restart azure agent',
    ].join('\n'),
    returns: {
      path: 'The agent configuration file.',
      agent_service: 'The agent unit to restart (walinuxagent or waagent).',
      rdma_enabled: 'Whether the agent reads RDMA as enabled after the task.',
      backup_file: 'The backup made, when backup: true.',
    },
  },
  schema,

  async read(ctx: HostContext, args: Args): Promise<Current> {
    const path = args.path ?? '/etc/waagent.conf';
    const file = await ctx.readFile(path);
    return { path, exists: !!file, content: file ? file.data.toString('utf8') : '' };
  },

  plan(args: Args, current: Current, ctx: PlanContext): Plan<Change> {
    const service = agentServiceName(ctx.facts);
    if (!current.exists && !args.create) {
      return { changes: [], failed: `${current.path} not found: is the Azure Linux agent (${service}) installed? (create: true writes a new file)` };
    }
    if (args.state === 'disabled' && args.update_rdma_driver) {
      return { changes: [], failed: 'update_rdma_driver: true switches RDMA on; it cannot go with state: disabled' };
    }
    const { after, changes } = edit(current.content, args);
    const result = { path: current.path, agent_service: service, rdma_enabled: agentEnablesRdma(after) };
    if (!changes.length) {
      const what = args.state === 'disabled' ? `none of ${RDMA_SWITCHES.join(', ')} as y` : desiredSettings(args).map((s) => `${s.key}=${s.want}`).join(', ');
      return { changes: [], result, reason: `the agent already reads ${what} in ${current.path}` };
    }
    const change: Change = { path: current.path, content: after, settings: changes, backup: !!args.backup, create: !current.exists };
    return {
      changes: [change],
      result,
      reason: `set ${changes.join(', ')} in ${current.path}; restart ${service} to apply`,
      diff: [{ kind: 'text', path: current.path, before: current.content, after }],
    };
  },

  async apply(ctx: HostContext, plan: Plan<Change>) {
    const c = plan.changes[0]!;
    const written = await ctx.writeFile(c.path, c.content, { backup: c.backup, mode: c.create ? 0o644 : undefined });
    return { result: { ...plan.result, ...(written.backupPath ? { backup_file: written.backupPath } : {}) } };
  },
};
