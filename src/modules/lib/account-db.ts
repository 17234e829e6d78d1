// The account databases as getent prints them (passwd, group, shadow lines), parsed purely, and the
// one read that user and group share: one round trip for the entry, all groups, and the shadow hash.
import type { HostContext } from '../../engine/contract/module.js';
import { shQuote } from '../../engine/connection/quote.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** One `name:x:uid:gid:gecos:home:shell` line; undefined for anything else. */
export function parsePasswdLine(line: string): PasswdEntry | undefined {
  const f = line.replace(/\r?\n$/, '').split(':');
  if (f.length < 7 || !/^\d+$/.test(f[2]!) || !/^\d+$/.test(f[3]!)) return undefined;
  return { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), comment: f[4]!, home: f[5]!, shell: f.slice(6).join(':') };
}

/** `name:x:gid:a,b` lines (comments and malformed lines skipped). */
export function parseGroupLines(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.replace(/\r$/, '').split(':');
    if (f.length < 4 || line.startsWith('#') || !/^\d+$/.test(f[2]!)) continue;
    out.push({ name: f[0]!, gid: Number(f[2]), members: f[3]!.split(',').map((m) => m.trim()).filter(Boolean) });
  }
  return out;
}

/** The hash field of a `name:hash:...` shadow line. */
export function shadowHash(line: string): string | undefined {
  const f = line.replace(/\r?\n$/, '').split(':');
  return f.length >= 2 ? f[1] : undefined;
}

export interface AccountState {
  user?: PasswdEntry;
  groups: GroupEntry[];
  /** The shadow hash; undefined when the user is missing or shadow could not be read (not root). */
  hash?: string;
  shadowReadable: boolean;
}

const MARK = '--fleetplay--';

/** Pure: the three sections of readAccounts' output. */
export function parseAccounts(out: string): AccountState {
  const [pw = '', gr = '', sh = '', ok = ''] = out.split(`${MARK}\n`);
  const user = parsePasswdLine(pw.split('\n')[0] ?? '');
  const shadowReadable = ok.trim() === 'shadow=ok';
  return { user, groups: parseGroupLines(gr), hash: shadowReadable ? shadowHash(sh.split('\n')[0] ?? '') : undefined, shadowReadable };
}

export async function readAccounts(ctx: HostContext, name: string): Promise<AccountState> {
  const q = shQuote(name);
  // getent answers through NSS, as Ansible's pwd/grp do; shadow needs root, so its success is reported.
  const r = await ctx.run(
    `getent passwd ${q}; echo ${MARK}; getent group; echo ${MARK}; if s=$(getent shadow ${q} 2>/dev/null); then echo "$s"; echo ${MARK}; echo shadow=ok; else echo ${MARK}; fi`,
  );
  if (r.rc !== 0 && !r.stdout.includes(MARK)) throw new Error(`cannot read the account databases: ${r.stderr.trim() || `exit code ${r.rc}`}`);
  return parseAccounts(r.stdout);
}

/** PATH with sbin, where useradd and friends live, for a login user whose PATH lacks it. */
export const SBIN = 'PATH="$PATH:/usr/sbin:/sbin"; export PATH\n';
