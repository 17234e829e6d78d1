// The `stat` fact: one command that prints everything Ansible's stat returns, and a pure parser.
import { shQuote } from '../../engine/connection/quote.js';
import { fileType } from '../../engine/connection/posix-files.js';
import { formatMode } from './mode.js';

export const CHECKSUM_ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export interface StatFactOptions {
  follow?: boolean;
  checksum?: ChecksumAlgorithm | false;
}

// Raw mode (hex), uid, gid, size, mtime, atime, ctime, inode, links, device; names on own lines.
const FORMAT = '%f %u %g %s %Y %X %Z %i %h %d\n%U\n%G';

export function statFactCommand(path: string, opts: StatFactOptions = {}): string {
  const L = opts.follow ? ' -L' : '';
  const exists = opts.follow ? '[ -e "$p" ]' : '{ [ -e "$p" ] || [ -L "$p" ]; }';
  const regular = opts.follow ? '[ -f "$p" ]' : '{ [ -f "$p" ] && [ ! -L "$p" ]; }';
  const lines = [
    `p=${shQuote(path)}`,
    `if ${exists}; then`,
    "  echo '@stat'",
    `  stat${L} -c ${shQuote(FORMAT)} -- "$p" || exit 1`,
    '  a=; [ -r "$p" ] && a=${a}r; [ -w "$p" ] && a=${a}w; [ -x "$p" ] && a=${a}x',
    "  echo \"@access $a\"",
    `  if [ -L "$p" ]; then echo '@link'; readlink -- "$p"; echo '@realpath'; readlink -f -- "$p"; fi`,
  ];
  if (opts.checksum) {
    lines.push(`  if ${regular} && [ -r "$p" ]; then echo '@checksum'; ${opts.checksum}sum < "$p" || exit 1; fi`);
  }
  lines.push("else echo '@absent'; fi");
  return lines.join('\n');
}

/** Ansible's `stat` dictionary (exists: false when absent). Throws on output it cannot read. */
export function parseStatFact(stdout: string, path: string): Record<string, unknown> {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l === '@stat' || l === '@absent');
  if (start < 0) throw new Error(`stat ${path}: unexpected output from the host`);
  if (lines[start] === '@absent') return { exists: false };
  const nums = (lines[start + 1] ?? '').trim().split(/\s+/);
  if (nums.length < 10) throw new Error(`stat ${path}: unexpected output '${lines[start + 1]}'`);
  const raw = parseInt(nums[0]!, 16);
  const [uid, gid, size, mtime, atime, ctime, inode, nlink, dev] = nums.slice(1).map(Number) as number[];
  const type = (raw & 0o170000) >>> 0;
  const perm = raw & 0o7777;
  const access = (lines.find((l, i) => i > start && l.startsWith('@access')) ?? '@access ').slice(8);
  const after = (marker: string) => {
    const at = lines.indexOf(marker, start);
    return at >= 0 ? lines[at + 1] : undefined;
  };
  const st: Record<string, unknown> = {
    exists: true,
    path,
    mode: formatMode(perm),
    isdir: fileType(raw) === 'directory',
    isreg: fileType(raw) === 'file',
    islnk: fileType(raw) === 'link',
    ischr: type === 0o020000,
    isblk: type === 0o060000,
    isfifo: type === 0o010000,
    issock: type === 0o140000,
    uid,
    gid,
    pw_name: lines[start + 2] ?? '',
    gr_name: lines[start + 3] ?? '',
    size,
    mtime,
    atime,
    ctime,
    inode,
    nlink,
    dev,
    readable: access.includes('r'),
    writeable: access.includes('w'),
    executable: access.includes('x'),
    isuid: (perm & 0o4000) !== 0,
    isgid: (perm & 0o2000) !== 0,
    rusr: (perm & 0o400) !== 0,
    wusr: (perm & 0o200) !== 0,
    xusr: (perm & 0o100) !== 0,
    rgrp: (perm & 0o040) !== 0,
    wgrp: (perm & 0o020) !== 0,
    xgrp: (perm & 0o010) !== 0,
    roth: (perm & 0o004) !== 0,
    woth: (perm & 0o002) !== 0,
    xoth: (perm & 0o001) !== 0,
  };
  const target = after('@link');
  if (target !== undefined) {
    st.lnk_target = target;
    st.lnk_source = after('@realpath') ?? '';
  }
  const sum = after('@checksum');
  if (sum !== undefined) st.checksum = sum.split(/\s+/)[0];
  return st;
}
