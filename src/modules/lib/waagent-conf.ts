// waagent.conf as the current Azure Linux agent reads it (WALinuxAgent's ConfigurationProvider.load and
// get_switch, summarised in DOMAIN.md), and the edits that make the agent read a switch as y or n.
// Reading it any other way is how a module reports "RDMA enabled" on a file where the agent reads it off.
//
// The agent's rule, line by line (lines are split on "\n" only):
// - a line starting with `#` at column 0, or without `=`, is skipped;
// - the line is split at the first `=`: key = the left part, whitespace-stripped (so ` # OS.X=y`
//   with a leading space is a key named `# OS.X`, which nothing asks for);
// - value = the right part cut at its first `#`, stripped of `"` and spaces, then of whitespace;
//   the value `None` means unset; a later line for the same key replaces an earlier one;
// - get_switch: `y`/`n` in any case; anything else (`y extra`, `'y'`, `yes`) is the default.
// RDMA is on when any of OS.EnableRDMA, OS.UpdateRdmaDriver, OS.CheckRdmaDriver is y (enable_rdma()).
import { pyStrip } from '../../engine/pycompat/str.js';

export const RDMA_SWITCHES = ['OS.EnableRDMA', 'OS.UpdateRdmaDriver', 'OS.CheckRdmaDriver'] as const;

interface Assignment {
  key: string;
  value: string | null;
  /** The line's text from the value's `#` on (kept when the line is rewritten). */
  comment: string;
}

/** The agent's reading of one line, or undefined when it skips the line. */
export function agentAssignment(line: string): Assignment | undefined {
  if (line.startsWith('#') || !line.includes('=')) return undefined;
  const eq = line.indexOf('=');
  const right = line.slice(eq + 1);
  const hash = right.indexOf('#');
  const value = pyStrip(pyStrip(hash < 0 ? right : right.slice(0, hash), '" '));
  return { key: pyStrip(line.slice(0, eq)), value: value === 'None' ? null : value, comment: hash < 0 ? '' : right.slice(hash) };
}

/** Every key the agent ends up with and its value (null: unset by `None`). */
export function readAgentConf(content: string): Map<string, string | null> {
  const values = new Map<string, string | null>();
  for (const line of content.split('\n')) {
    const a = agentAssignment(line);
    if (a) values.set(a.key, a.value);
  }
  return values;
}

/** What the agent ends up with for `key`, or undefined when unset. */
export function agentValue(content: string, key: string): string | undefined {
  return readAgentConf(content).get(key) ?? undefined;
}

const switchOf = (value: string | null | undefined): boolean | undefined => {
  const v = value?.toLowerCase();
  return v === 'y' ? true : v === 'n' ? false : undefined;
};

/** get_switch: true/false for y/n (any case), undefined for anything else (the agent's default applies). */
export function agentSwitch(content: string, key: string): boolean | undefined {
  return switchOf(readAgentConf(content).get(key));
}

/** The three RDMA switches as the agent reads them (undefined: its default, off). */
export function rdmaSwitches(content: string): Record<(typeof RDMA_SWITCHES)[number], boolean | undefined> {
  const values = readAgentConf(content);
  return { 'OS.EnableRDMA': switchOf(values.get('OS.EnableRDMA')), 'OS.UpdateRdmaDriver': switchOf(values.get('OS.UpdateRdmaDriver')), 'OS.CheckRdmaDriver': switchOf(values.get('OS.CheckRdmaDriver')) };
}

/** enable_rdma(): any of the three switches reads y. */
export function agentEnablesRdma(content: string): boolean {
  return Object.values(rdmaSwitches(content)).some((on) => on === true);
}

export interface AgentSetting {
  key: string;
  want: 'y' | 'n';
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Rewrites `content` so the agent reads `key` as `want`. Every line the agent reads as an assignment
 * of the key is rewritten (keeping its trailing comment), so no later line overrides; with none, the
 * stock commented line (`# OS.EnableRDMA=y`) is replaced; else the line is appended. Turning off a
 * switch the agent does not read as y changes nothing: any other value already means off.
 */
export function setAgentKey(content: string, { key, want }: AgentSetting): string {
  const now = agentSwitch(content, key);
  if (want === 'y' ? now === true : now !== true) return content;
  const lines = content.split('\n');
  let touched = false;
  for (let i = 0; i < lines.length; i++) {
    const a = agentAssignment(lines[i]!);
    if (a?.key !== key) continue;
    const cr = lines[i]!.endsWith('\r') && !a.comment.endsWith('\r') ? '\r' : '';
    lines[i] = `${key}=${want}${a.comment ? ` ${a.comment.trimStart()}` : ''}${cr}`;
    touched = true;
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
