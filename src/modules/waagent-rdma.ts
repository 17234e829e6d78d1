// waagent_rdma: make the Azure Linux agent READ `OS.EnableRDMA=y` (or `n`), judged by the agent's own
// parser, not by a regex that happens to match. Microsoft's documented sed does not match the stock
// file and silently changes nothing; a later duplicate line would silently override an earlier one.
import Type, { type Static } from 'typebox';
import type { HostContext, Module, Plan, PlanContext } from '../engine/contract/module.js';

const schema = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('enabled'), Type.Literal('disabled')], { description: 'enabled sets OS.EnableRDMA=y; disabled sets it to n (only where a line enables it: absent means off)', default: 'enabled' })),
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

export interface AgentSetting {
  key: string;
  want: 'y' | 'n';
}

/** The agent's reading of one line: not starting with '#', first token `key=value`, quotes/spaces stripped. */
export function agentAssignment(line: string): { key: string; value: string } | undefined {
  if (line.startsWith('#') || !line.includes('=')) return undefined;
  const token = line.trim().split(/\s+/)[0] ?? '';
  const parts = token.split('=');
  if (parts.length < 2) return undefined;
  return { key: parts[0]!, value: parts[1]!.replace(/^["\s]+|["\s]+$/g, '') };
}

/** What the agent ends up with for `key` (the last assignment wins), or undefined when unset. */
export function agentValue(content: string, key: string): string | undefined {
  let value: string | undefined;
  for (const line of content.split('\n')) {
    const a = agentAssignment(line);
    if (a?.key === key) value = a.value === 'None' ? undefined : a.value;
  }
  return value;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Rewrites `content` so the agent reads `key` as `want`. Every line that assigns the key (including
 * the malformed `KEY = y` the agent cannot parse) is set, keeping a trailing comment, so no later line
 * overrides; else the stock commented line is replaced; else the line is appended. Disabling a key
 * that nothing enables leaves the file alone: absent already means off.
 */
export function setAgentKey(content: string, { key, want }: AgentSetting): string {
  const current = agentValue(content, key);
  if ((current ?? '').toLowerCase() === want || (want === 'n' && (current ?? '').toLowerCase() !== 'y')) return content;
  const lines = content.split('\n');
  const assign = new RegExp(`^\\s*${escapeRe(key)}\\s*=\\s*("?)[^\\s#"]*\\1(\\s*#.*)?\\s*$`);
  let touched = false;
  for (let i = 0; i < lines.length; i++) {
    const m = assign.exec(lines[i]!);
    if (m && !lines[i]!.startsWith('#')) {
      lines[i] = `${key}=${want}${m[2] ?? ''}`;
      touched = true;
    }
  }
  if (!touched) {
    const commented = new RegExp(`^\\s*#\\s*${escapeRe(key)}\\s*=`);
    const at = lines.findIndex((l) => commented.test(l));
    if (at >= 0) lines[at] = `${key}=${want}`;
    else {
      if (lines.length && lines[lines.length - 1] === '') lines.pop();
      lines.push(`${key}=${want}`, '');
    }
  }
  return lines.join('\n');
}

export function agentServiceName(facts: Readonly<Record<string, unknown>>): string {
  return facts.os_family === 'Debian' ? 'walinuxagent' : 'waagent';
}

function desiredSettings(args: Args): AgentSetting[] {
  const out: AgentSetting[] = [{ key: 'OS.EnableRDMA', want: (args.state ?? 'enabled') === 'enabled' ? 'y' : 'n' }];
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
    const { after, changes } = edit(current.content, args);
    const result = { path: current.path, agent_service: service, rdma_enabled: (agentValue(after, 'OS.EnableRDMA') ?? '').toLowerCase() === 'y' };
    if (!changes.length) {
      return { changes: [], result, reason: `the agent already reads ${desiredSettings(args).map((s) => `${s.key}=${s.want}`).join(', ')} in ${current.path}` };
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
