// Several POSIX commands in ONE remote command (one round trip), each answered as if it had run on
// its own: its own exit code, stdout and stderr. The first command may be a "lead" that keeps the
// batch's stdin and stderr (a module's apply or a user's command); the others are reads that the
// engine runs ahead of their tasks. Each command is built exactly as the transports build a single
// command (buildPosixCommand), and runs in a subshell so an `exit` ends only itself.
//
// Framing: a random nonce per batch, so no output can forge a marker. A follower's stderr is
// captured with `$(...)`, which drops trailing newlines; one newline is put back (stderr here is
// only ever used for messages).
import { randomBytes } from 'node:crypto';
import type { ExecOptions, ExecResult } from '../contract/connection.js';
import { buildPosixCommand } from './become.js';

export interface BatchItem {
  command: string;
  opts?: Pick<ExecOptions, 'cwd' | 'env' | 'become'>;
}

export interface BatchScript {
  script: string;
  parse(r: ExecResult): { lead?: ExecResult; followers: Array<ExecResult | undefined> };
}

/** Whether a command with these options can ride in a batch (no password prompt, no stdin except a lead's, no timeout). */
export function batchable(opts: ExecOptions | undefined, asLead: boolean): boolean {
  if (!opts) return true;
  if (opts.become?.password) return false;
  if (opts.timeoutMs !== undefined) return false;
  return asLead || opts.stdin === undefined;
}

const line = (item: BatchItem) => buildPosixCommand(item.command, { cwd: item.opts?.cwd, env: item.opts?.env, become: item.opts?.become });

export function buildBatch(lead: BatchItem | undefined, followers: readonly BatchItem[], nonce = randomBytes(8).toString('hex')): BatchScript {
  const m = `@fleetplay-batch:${nonce}`;
  const parts: string[] = ['exec 3>&1'];
  if (lead) {
    // The lead keeps stdin and stderr: what it prints is exactly what it would print alone.
    parts.push(`(\n${line(lead)}\n) 3>&-`, '__fpb_lead=$?', `printf '\\n%s %s\\n' '${m}:lead' "$__fpb_lead"`);
  }
  followers.forEach((f, i) => {
    parts.push(
      `__fpb_e=$( (\n${line(f)}\n) </dev/null 2>&1 1>&3 3>&- )`,
      '__fpb_rc=$?',
      `printf '\\n%s %s\\n' '${m}:rc:${i}' "$__fpb_rc"`,
      `printf '%s' "$__fpb_e"`,
      `printf '\\n%s\\n' '${m}:err:${i}'`,
    );
  });
  parts.push(lead ? 'exit "$__fpb_lead"' : 'exit 0');
  return {
    script: parts.join('\n'),
    parse: (r) => parseBatch(r, m, lead !== undefined, followers.length),
  };
}

function parseBatch(r: ExecResult, m: string, hasLead: boolean, count: number): { lead?: ExecResult; followers: Array<ExecResult | undefined> } {
  let rest = r.stdout;
  let lead: ExecResult | undefined;
  if (hasLead) {
    const at = rest.indexOf(`\n${m}:lead `);
    if (at < 0) {
      // The batch was cut short (connection lost, killed): the lead's answer is what arrived.
      return { lead: r, followers: [] };
    }
    const end = rest.indexOf('\n', at + 1);
    const rc = Number(rest.slice(at + m.length + 7, end));
    lead = { rc: Number.isInteger(rc) ? rc : r.rc, stdout: rest.slice(0, at), stderr: r.stderr };
    if (r.signal) lead.signal = r.signal;
    rest = rest.slice(end + 1);
  }
  const followers: Array<ExecResult | undefined> = [];
  for (let i = 0; i < count; i++) {
    const rcMark = `\n${m}:rc:${i} `;
    const at = rest.indexOf(rcMark);
    if (at < 0) break;
    const rcEnd = rest.indexOf('\n', at + 1);
    const errMark = `\n${m}:err:${i}\n`;
    const errAt = rest.indexOf(errMark, rcEnd);
    if (errAt < 0) break;
    const rc = Number(rest.slice(at + rcMark.length, rcEnd));
    const err = rest.slice(rcEnd + 1, errAt);
    followers.push(Number.isInteger(rc) ? { rc, stdout: rest.slice(0, at), stderr: err ? `${err}\n` : '' } : undefined);
    rest = rest.slice(errAt + errMark.length);
  }
  return { lead, followers };
}
