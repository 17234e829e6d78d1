// unarchive: unpacks a tar archive (plain, gz, bz2, xz) from the controller or, with remote_src, from
// the host, into an existing directory. Idempotent by comparing the archive's listing (`tar -tv`, on
// whichever side holds the archive) with what dest has: every entry present with the same type, and
// files with the same size and mtime (tar restores mtimes). Check mode compares and unpacks nothing;
// nothing is uploaded before apply.
import { execFile } from 'node:child_process';
import { posix } from 'node:path';
import { promisify } from 'node:util';
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';

const schema = Type.Object(
  {
    src: Type.String({ description: 'The archive: a controller file, or a path on the host with remote_src.' }),
    dest: Type.String({ description: 'An existing directory to unpack into.' }),
    remote_src: Type.Optional(Type.Boolean({ description: 'src is already on the host (default false).' })),
    creates: Type.Optional(Type.String({ description: 'When this path exists on the host, do nothing.' })),
    extra_opts: Type.Optional(Type.Array(Type.String(), { description: "Extra tar options, e.g. ['--strip-components=1']." })),
    list_files: Type.Optional(Type.Boolean({ description: 'Return the archive’s entries in `files`.' })),
    exclude: Type.Optional(Type.Array(Type.String(), { description: 'Entries (paths in the archive) not to unpack or compare.' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export interface Entry {
  type: 'file' | 'directory' | 'link' | 'other';
  path: string;
  size: number;
  /** Seconds since the epoch (UTC). */
  mtime: number;
  target?: string;
}

interface Current {
  src: string;
  entries: Entry[];
  /** path → `type|size|mtime|target` as dest has it; absent paths are missing. */
  have: Record<string, string>;
  created?: boolean;
  error?: string;
}

interface Change {
  kind: 'unpack';
  src: string;
  remote: boolean;
  dest: string;
  opts: string[];
}

const TYPES: Record<string, Entry['type']> = { '-': 'file', d: 'directory', l: 'link', h: 'file' };

/** Pure: GNU `tar -tv --full-time` output (TZ=UTC) → entries. */
export function parseTarListing(text: string): Entry[] {
  const out: Entry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S)\S{9}\s+\S+\s+(\d+)\s+(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\s(.+)$/.exec(line);
    if (!m) continue;
    const type = TYPES[m[1]!] ?? 'other';
    let path = m[5]!;
    let target: string | undefined;
    if (type === 'link' && path.includes(' -> ')) [path, target] = path.split(' -> ') as [string, string];
    if (m[1] === 'h') path = path.split(' link to ')[0]!;
    path = path.replace(/\/$/, '').replace(/^\.\//, '');
    if (path === '' || path === '.') continue;
    out.push({ type, path, size: Number(m[2]), mtime: Date.parse(`${m[3]}T${m[4]}Z`) / 1000, ...(target !== undefined ? { target } : {}) });
  }
  return out;
}

/** Pure: the entries dest lacks or has differently (directories only need to exist). */
export function missingEntries(entries: readonly Entry[], have: Readonly<Record<string, string>>): string[] {
  return entries.filter((e) => {
    const h = have[e.path];
    if (h === undefined) return true;
    const [type, size, mtime, target] = h.split('|');
    if (type !== e.type) return true;
    if (e.type === 'file') return Number(size) !== e.size || Number(mtime) !== e.mtime;
    if (e.type === 'link') return target !== e.target;
    return false;
  }).map((e) => e.path);
}

/** Pure: entries as they land in dest when extra_opts hold --strip-components=N. */
export function stripComponents(entries: Entry[], opts: readonly string[]): Entry[] {
  const opt = [...opts].reverse().find((o) => o.startsWith('--strip-components='));
  const n = opt ? Number(opt.split('=')[1]) : 0;
  if (!n) return entries;
  return entries.flatMap((e) => {
    const parts = e.path.split('/');
    return parts.length > n ? [{ ...e, path: parts.slice(n).join('/') }] : [];
  });
}

const LIST = ['-tv', '--full-time', '-f'];
const run = promisify(execFile);

export const unarchive: Module<Args, Current, Change> = {
  meta: {
    name: 'unarchive',
    description: 'Unpack a tar archive (gz/bz2/xz) from the controller or the host into a directory, only when dest differs.',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'unarchive:\n  src: /tmp/MLNX_OFED.tgz\n  dest: /opt\n  remote_src: true',
    returns: { dest: 'The directory.', src: 'The archive.', files: 'list_files: the archive’s entries.' },
  },
  schema,
  async read(ctx, args) {
    const src = args.remote_src ? args.src : ctx.controllerPath('files', args.src);
    const base = { src, entries: [], have: {} };
    if (args.creates !== undefined && (await ctx.stat(args.creates)).exists) return { ...base, created: true };
    const d = await ctx.stat(args.dest);
    if (d.type !== 'directory') return { ...base, error: `dest '${args.dest}' must be an existing dir` };
    const excl = (args.exclude ?? []).map((x) => `--exclude=${x}`);
    let listing: string;
    if (args.remote_src) {
      if (!(await ctx.stat(src)).exists) return { ...base, error: `Source '${src}' does not exist` };
      const r = await ctx.run(`TZ=UTC tar ${[...LIST, src, ...excl].map(shQuote).join(' ')}`);
      if (r.rc !== 0) return { ...base, error: `Failed to find handler for "${src}": ${r.stderr.trim() || `tar exit code ${r.rc}`}` };
      listing = r.stdout;
    } else {
      try {
        listing = (await run('tar', [...LIST, src, ...excl], { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 << 20 })).stdout;
      } catch (e) {
        return { ...base, error: `Could not read the archive ${src}: ${((e as { stderr?: string }).stderr ?? String(e)).trim()}` };
      }
    }
    const entries = stripComponents(parseTarListing(listing), args.extra_opts ?? []);
    // One stat over every entry: type|size|mtime|target, one line per existing path.
    const script = `cd ${shQuote(args.dest)} || exit 1\nwhile IFS= read -r p; do [ -e "$p" ] || [ -L "$p" ] || continue; if [ -L "$p" ]; then printf '%s\\t%s|%s|%s|%s\\n' "$p" link 0 0 "$(readlink "$p")"; elif [ -d "$p" ]; then printf '%s\\t%s|0|0|\\n' "$p" directory; elif [ -f "$p" ]; then printf '%s\\t%s\\n' "$p" "$(stat -c 'file|%s|%Y|' -- "$p")"; else printf '%s\\tother|0|0|\\n' "$p"; fi; done`;
    const r = await ctx.run(script, { stdin: entries.map((e) => e.path).join('\n') + '\n' });
    const have: Record<string, string> = {};
    for (const l of r.stdout.split('\n')) {
      const tab = l.indexOf('\t');
      if (tab > 0) have[l.slice(0, tab)] = l.slice(tab + 1);
    }
    return { src, entries, have };
  },
  plan(args, cur) {
    if (cur.error) return { changes: [], failed: cur.error };
    const result = { dest: args.dest, src: cur.src, ...(args.list_files ? { files: cur.entries.map((e) => e.path) } : {}) };
    if (cur.created) return { changes: [], reason: `skipped, since ${args.creates} exists`, result };
    const missing = missingEntries(cur.entries, cur.have);
    if (missing.length === 0) return { changes: [], reason: `${args.dest} has all ${cur.entries.length} entries of ${posix.basename(cur.src)}`, result };
    const excl = (args.exclude ?? []).map((x) => `--exclude=${x}`);
    const change: Change = { kind: 'unpack', src: cur.src, remote: args.remote_src === true, dest: args.dest, opts: [...(args.extra_opts ?? []), ...excl] };
    const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? `, … (${missing.length} in all)` : '');
    return { changes: [change], reason: `unpack ${posix.basename(cur.src)} into ${args.dest}`, result, diff: [{ kind: 'fields', label: `${args.dest} (from ${posix.basename(cur.src)})`, fields: [{ key: 'missing or different', before: shown, after: 'unpacked' }] }] };
  },
  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    let src = c.src;
    let tmp: string | undefined;
    if (!c.remote) {
      const t = await ctx.run('mktemp -d "${TMPDIR:-/tmp}/fleetplay-unarchive.XXXXXX"');
      if (t.rc !== 0) return { failed: `cannot make a temp directory on the host: ${t.stderr.trim()}` };
      tmp = t.stdout.trim();
      src = posix.join(tmp, posix.basename(c.src));
      await ctx.putFile(c.src, src, { mode: 0o600 });
    }
    try {
      const r = await ctx.run(`tar -xf ${shQuote(src)} -C ${shQuote(c.dest)} ${c.opts.map(shQuote).join(' ')}`);
      if (r.rc !== 0) return { failed: `failed to unpack ${src} to ${c.dest}: ${r.stderr.trim() || `tar exit code ${r.rc}`}` };
    } finally {
      if (tmp) await ctx.run(`rm -rf -- ${shQuote(tmp)}`);
    }
    return { result: plan.result };
  },
};
