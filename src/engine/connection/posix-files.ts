// File operations for POSIX hosts, each ONE shell command (one round trip): a builder returns the
// command, its stdin and a pure parser of the result. Local and SSH connections both run exactly
// these, so the local tests exercise what runs on remote hosts.
//
// Framing: every answer starts with a marker line (`@fleetplay:...`), so anything a login shell
// prints before it is ignored; file content travels as base64 because exec output is decoded as
// UTF-8 text and binary files must survive byte for byte.
import type { ExecResult, FileStat, WriteOptions, WriteResult } from '../contract/connection.js';
import { becomeFailure } from './become.js';
import { shQuote } from './quote.js';

export interface PosixFileOp<T> {
  command: string;
  stdin?: Buffer | string;
  parse(result: ExecResult): T;
}

/** A file operation the host refused (permission, missing directory, ...); the message says which. */
export class FileOpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileOpError';
  }
}

const M_STAT = '@fleetplay:stat';
const M_ABSENT = '@fleetplay:absent';
const M_DATA = '@fleetplay:data';
const M_LINK = '@fleetplay:link';
const M_BACKUP = '@fleetplay:backup ';

// Raw mode in hex (type + permission bits), ids, size, mtime; names on their own lines because
// directory-service names ("domain users") may contain spaces.
const STAT_FORMAT = '%f %u %g %s %Y\n%U\n%G';

const say = (marker: string) => `printf '%s\\n' ${shQuote(marker)}`;

/** Stat without following a final symlink (type 'link' with its target). */
export function statOp(path: string): PosixFileOp<FileStat> {
  const command = [
    `p=${shQuote(path)}`,
    'if [ -e "$p" ] || [ -L "$p" ]; then',
    `  ${say(M_STAT)}`,
    `  stat -c ${shQuote(STAT_FORMAT)} -- "$p" || exit 1`,
    `  if [ -L "$p" ]; then ${say(M_LINK)}; readlink -- "$p"; fi`,
    `else ${say(M_ABSENT)}; fi`,
  ].join('\n');
  return {
    command,
    parse(r) {
      const lines = answerLines(r, path, 'stat');
      if (lines[0] === M_ABSENT) return { exists: false };
      const st = parseStatLines(lines.slice(1, 4), path);
      const linkAt = lines.indexOf(M_LINK);
      if (linkAt >= 0) st.linkTarget = lines.slice(linkAt + 1).join('\n').replace(/\n$/, '');
      return st;
    },
  };
}

/** Content and stat of a path, following symlinks; a directory comes back with empty data. */
export function readFileOp(path: string): PosixFileOp<{ data: Buffer; stat: FileStat } | null> {
  const command = [
    `p=${shQuote(path)}`,
    'if [ -e "$p" ]; then',
    `  ${say(M_STAT)}`,
    `  stat -L -c ${shQuote(STAT_FORMAT)} -- "$p" || exit 1`,
    `  if [ ! -d "$p" ]; then ${say(M_DATA)}; base64 < "$p" || exit 1; fi`,
    `else ${say(M_ABSENT)}; fi`,
  ].join('\n');
  return {
    command,
    parse(r) {
      const lines = answerLines(r, path, 'read');
      if (lines[0] === M_ABSENT) return null;
      const stat = parseStatLines(lines.slice(1, 4), path);
      const dataAt = lines.indexOf(M_DATA);
      const data = dataAt >= 0 ? Buffer.from(lines.slice(dataAt + 1).join(''), 'base64') : Buffer.alloc(0);
      return { data, stat };
    },
  };
}

/**
 * Atomic write from stdin: temp file in the destination's directory, owner then mode (chown clears
 * setuid bits, so chmod goes last), optional backup, then rename over the path. A symlinked path is
 * written through to its target, as lineinfile and most editors do.
 */
export function writeFileOp(path: string, data: Buffer | string, opts: WriteOptions = {}): PosixFileOp<WriteResult> {
  const command = [
    ...resolveTarget(path),
    'tmp=$(mktemp "$d/.fleetplay-tmp.XXXXXX") || exit 1',
    ...cleanupTrap(),
    'cat > "$tmp" || exit 1',
    // A sender that dies mid-stream (controller killed, connection lost) ends our stdin early and
    // cat sees a normal EOF: installing that would replace the file with a truncated one.
    `[ "$(stat -c %s -- "$tmp")" = ${Buffer.byteLength(data)} ] || { echo "incomplete content received; $p left unchanged" >&2; exit 1; }`,
    ...installLines(opts),
  ].join('\n');
  return { command, stdin: data, parse: (r) => parseWrite(r, path) };
}

/**
 * The second half of an upload: `tmpPath` was already written next to `path` (e.g. over SFTP);
 * set owner/mode, back up, rename. The temp file is removed if anything fails.
 */
export function installFileOp(tmpPath: string, path: string, opts: WriteOptions = {}): PosixFileOp<WriteResult> {
  const command = [
    `tmp=${shQuote(tmpPath)}`,
    ...cleanupTrap(),
    ...resolveTarget(path),
    ...installLines(opts),
  ].join('\n');
  return { command, parse: (r) => parseWrite(r, path) };
}

/** Where an uploader should put its temp file so the final rename stays on one filesystem. */
export function uploadTempPath(path: string, random: string): string {
  const slash = path.lastIndexOf('/');
  const dir = slash > 0 ? path.slice(0, slash) : slash === 0 ? '' : '.';
  return `${dir}/.fleetplay-upload.${random}`;
}

function resolveTarget(path: string): string[] {
  return [
    `p=${shQuote(path)}`,
    'if [ -L "$p" ]; then t=$(readlink -f -- "$p") || exit 1; p=$t; fi',
    'if [ -d "$p" ]; then echo "$p is a directory" >&2; exit 1; fi',
    'd=$(dirname -- "$p")',
    'if [ ! -d "$d" ]; then echo "destination directory $d does not exist" >&2; exit 1; fi',
  ];
}

function cleanupTrap(): string[] {
  // EXIT also fires after a successful mv, when rm -f finds nothing: harmless.
  return ['trap \'rm -f -- "$tmp"\' EXIT', "trap 'exit 129' HUP INT TERM PIPE"];
}

function installLines(opts: WriteOptions): string[] {
  const mode = opts.mode === undefined ? '' : formatOctal(opts.mode);
  return [
    `mode=${shQuote(mode)} owner=${shQuote(opts.owner ?? '')} group=${shQuote(opts.group ?? '')}`,
    'cu= cg=',
    'if [ -e "$p" ]; then',
    "  s=$(stat -c '%a %u %g' -- \"$p\") || exit 1",
    '  set -- $s',
    '  [ -n "$mode" ] || mode=$1',
    '  cu=$2 cg=$3',
    ...(opts.backup
      ? [
          '  b="$p.$$.$(date +%Y-%m-%d@%H:%M:%S~)"',
          '  cp -p -- "$p" "$b" || exit 1',
          `  printf '%s%s\\n' ${shQuote(M_BACKUP)} "$b"`,
        ]
      : []),
    'fi',
    // Asked-for owner/group must succeed; keeping the old ones is best effort (as Ansible: a
    // non-root user cannot give a file away, and that must not fail an edit it may make).
    'if [ -n "$owner$group" ]; then chown -- "$owner${group:+:$group}" "$tmp" || exit 1; fi',
    'if [ -n "$cu" ]; then',
    '  pu= pg=',
    '  [ -n "$owner" ] || pu=$cu',
    '  [ -n "$group" ] || pg=$cg',
    '  if [ -n "$pu$pg" ]; then chown -- "$pu${pg:+:$pg}" "$tmp" 2>/dev/null || :; fi',
    'fi',
    'chmod -- "${mode:-644}" "$tmp" || exit 1',
    'mv -f -- "$tmp" "$p" || exit 1',
  ];
}

function parseWrite(r: ExecResult, path: string): WriteResult {
  if (r.rc !== 0) throw new FileOpError(failureMessage(r, path, 'write'));
  const line = r.stdout.split('\n').find((l) => l.startsWith(M_BACKUP));
  return line ? { backupPath: line.slice(M_BACKUP.length) } : {};
}

/** Lines from the first marker on; throws with the host's own words when the command failed. */
function answerLines(r: ExecResult, path: string, what: string): string[] {
  if (r.rc !== 0) throw new FileOpError(failureMessage(r, path, what));
  const lines = r.stdout.split('\n');
  const start = lines.findIndex((l) => l === M_STAT || l === M_ABSENT);
  if (start < 0) throw new FileOpError(`cannot ${what} ${path}: unexpected answer from the host`);
  return lines.slice(start);
}

function failureMessage(r: ExecResult, path: string, what: string): string {
  const become = becomeFailure(r.stderr);
  if (become) return become;
  const detail = r.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${r.rc}`;
  return `cannot ${what} ${path}: ${detail}`;
}

/** Parses the three lines STAT_FORMAT prints. */
export function parseStatLines(lines: string[], path: string): FileStat {
  const nums = (lines[0] ?? '').trim().split(/\s+/);
  if (nums.length < 5 || !/^[0-9a-f]+$/i.test(nums[0]!)) {
    throw new FileOpError(`cannot stat ${path}: unexpected stat output '${lines[0] ?? ''}'`);
  }
  const raw = parseInt(nums[0]!, 16);
  return {
    exists: true,
    type: fileType(raw),
    mode: raw & 0o7777,
    uid: Number(nums[1]),
    gid: Number(nums[2]),
    size: Number(nums[3]),
    mtime: Number(nums[4]),
    owner: lines[1] ?? '',
    group: lines[2] ?? '',
  };
}

export function fileType(rawMode: number): FileStat['type'] {
  switch (rawMode & 0o170000) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'directory';
    case 0o120000:
      return 'link';
    default:
      return 'other';
  }
}

function formatOctal(mode: number): string {
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new FileOpError(`invalid file mode ${mode}`);
  return mode.toString(8).padStart(4, '0');
}
