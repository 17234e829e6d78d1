// find: files on the host selected by name patterns, type, age and size, as Ansible's find returns
// them. One remote `find -printf` lists every candidate with its stat fields; the selection is pure
// (selectFiles) so it is tested on fixtures. Read-only: check mode returns the same result.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';
import { pyRegex } from '../engine/template/regex.js';

const strOrList = (description: string) => Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description }));
const schema = Type.Object(
  {
    paths: strOrList('Directories to search (aliases: name, path); a string may list several, comma-separated.'),
    path: strOrList('Alias of paths.'),
    name: strOrList('Alias of paths.'),
    patterns: strOrList("Shell globs (or Python regexps with use_regex) the file's base name must match; default '*'."),
    excludes: strOrList('Globs (or regexps) of base names to leave out.'),
    use_regex: Type.Optional(Type.Boolean({ description: 'patterns/excludes are Python regexps matched at the start of the base name.' })),
    file_type: Type.Optional(
      Type.Union(['file', 'directory', 'link', 'any'].map((t) => Type.Literal(t)), { description: "What to return: file (default), directory, link or any." }),
    ),
    recurse: Type.Optional(Type.Boolean({ description: 'Descend into subdirectories (default false).' })),
    depth: Type.Optional(Type.Integer({ minimum: 1, description: 'With recurse: the deepest level to descend to.' })),
    hidden: Type.Optional(Type.Boolean({ description: 'Include names starting with a dot (default false).' })),
    follow: Type.Optional(Type.Boolean({ description: 'Follow symlinks (default false).' })),
    age: Type.Optional(Type.String({ description: "At least this old ('2d', '3600'), or at most when negative ('-1h'); units s m h d w." })),
    age_stamp: Type.Optional(Type.Union(['mtime', 'atime', 'ctime'].map((t) => Type.Literal(t)), { description: 'The time age compares (default mtime).' })),
    contains: Type.Optional(Type.String({ description: 'Regular files must have a line matching this Python regexp (checked on the host with grep -P).' })),
    read_whole_file: Type.Optional(Type.Boolean({ description: 'contains matches the whole file at once instead of line by line.' })),
    size: Type.Optional(Type.String({ description: "Regular files of at least this size ('10m'), or at most when negative ('-1k'); units b k m g t." })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

/** One entry as `find -printf` lists it. */
export interface FoundEntry {
  type: string;
  mode: number;
  size: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  mtime: number;
  atime: number;
  ctime: number;
  inode: number;
  nlink: number;
  dev: number;
  path: string;
}

export interface Listing {
  now: number;
  entries: FoundEntry[];
  /** Paths that are not directories. */
  skipped: string[];
  /** With contains: the regular files whose content matched. */
  containing?: string[];
}

const FORMAT = '%y\\t%m\\t%s\\t%U\\t%G\\t%u\\t%g\\t%T@\\t%A@\\t%C@\\t%i\\t%n\\t%D\\t%p\\0';

export function listCommand(paths: string[], opts: { recurse: boolean; depth?: number; follow: boolean }): string {
  const max = !opts.recurse ? ' -maxdepth 1' : opts.depth !== undefined ? ` -maxdepth ${opts.depth}` : '';
  const each = paths.map((p) => {
    const q = shQuote(p);
    return `if [ -d ${q} ]; then find ${opts.follow ? '-L ' : ''}${q} -mindepth 1${max} -printf '${FORMAT}' 2>/dev/null; else printf 'S\\t%s\\0' ${q}; fi`;
  });
  return ['date +%s.%N', ...each].join('; ');
}

export function parseListing(out: string): Listing {
  const nl = out.indexOf('\n');
  const listing: Listing = { now: Number(out.slice(0, nl)), entries: [], skipped: [] };
  for (const rec of out.slice(nl + 1).split('\0')) {
    if (!rec) continue;
    const f = rec.split('\t');
    if (f[0] === 'S') {
      listing.skipped.push(f.slice(1).join('\t'));
      continue;
    }
    const n = (i: number) => Number(f[i]);
    listing.entries.push({
      type: f[0]!,
      mode: parseInt(f[1]!, 8),
      size: n(2),
      uid: n(3),
      gid: n(4),
      owner: f[5]!,
      group: f[6]!,
      mtime: n(7),
      atime: n(8),
      ctime: n(9),
      inode: n(10),
      nlink: n(11),
      dev: n(12),
      path: f.slice(13).join('\t'),
    });
  }
  return listing;
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean);

/** Python fnmatch on a base name (case-sensitive, as on POSIX). */
function globRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, close);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replaceAll('\\', '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\/\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

const SCALE: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const BYTES: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
function amount(v: string, units: Record<string, number>, what: string): number {
  const m = /^(-?\d+)([a-z])?$/i.exec(v.trim());
  const unit = (m?.[2] ?? Object.keys(units)[0]!).toLowerCase();
  if (!m || units[unit] === undefined) throw new Error(`failed to process ${what} '${v}'`);
  return Number(m[1]) * units[unit];
}

export interface Selection {
  patterns: string[];
  excludes: string[];
  useRegex: boolean;
  fileType: string;
  hidden: boolean;
  age?: string;
  ageStamp: 'mtime' | 'atime' | 'ctime';
  size?: string;
  /** Only regular files in listing.containing pass (contains was given). */
  contains?: boolean;
}

const TYPE: Record<string, string> = { file: 'f', directory: 'd', link: 'l' };

export function selectFiles(listing: Listing, sel: Selection): FoundEntry[] {
  const matcher = (p: string) => (sel.useRegex ? pyRegex(p, { sticky: true }) : globRegex(p));
  const inc = (sel.patterns.length > 0 ? sel.patterns : [sel.useRegex ? '.*' : '*']).map(matcher);
  const exc = sel.excludes.map(matcher);
  const hit = (res: RegExp[], name: string) => res.some((r) => ((r.lastIndex = 0), r.test(name)));
  const age = sel.age === undefined ? undefined : amount(sel.age, SCALE, 'age');
  const size = sel.size === undefined ? undefined : amount(sel.size, BYTES, 'size');
  return listing.entries
    .filter((e) => {
      const name = e.path.slice(e.path.lastIndexOf('/') + 1);
      if (!sel.hidden && name.startsWith('.')) return false;
      if (sel.fileType !== 'any' && e.type !== TYPE[sel.fileType]) return false;
      if (!hit(inc, name) || hit(exc, name)) return false;
      const old = listing.now - e[sel.ageStamp];
      if (age !== undefined && (age >= 0 ? old < age : old > -age)) return false;
      if (size !== undefined && e.type === 'f' && (size >= 0 ? e.size < size : e.size > -size)) return false;
      if (sel.contains && e.type === 'f' && !listing.containing?.includes(e.path)) return false;
      return true;
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Ansible's per-file record. */
function record(e: FoundEntry): Record<string, unknown> {
  return {
    path: e.path,
    mode: e.mode.toString(8).padStart(4, '0'),
    isdir: e.type === 'd',
    isreg: e.type === 'f',
    islnk: e.type === 'l',
    size: e.size,
    uid: e.uid,
    gid: e.gid,
    pw_name: e.owner,
    gr_name: e.group,
    mtime: e.mtime,
    atime: e.atime,
    ctime: e.ctime,
    inode: e.inode,
    nlink: e.nlink,
    dev: e.dev,
  };
}

function selectionOf(args: Args, withContains: boolean): Selection {
  return {
    patterns: list(args.patterns),
    excludes: list(args.excludes),
    useRegex: args.use_regex === true,
    fileType: args.file_type ?? 'file',
    hidden: args.hidden === true,
    age: args.age,
    ageStamp: args.age_stamp ?? 'mtime',
    size: args.size,
    contains: withContains && args.contains !== undefined,
  };
}

/** One grep over the regular files the other filters kept: the ones whose content matches. */
export function grepCommand(files: string[], pattern: string, wholeFile: boolean): string {
  return `printf '%s\\0' ${files.map(shQuote).join(' ')} | xargs -0 -r grep -lZsP${wholeFile ? 'z' : ''} -e ${shQuote(pattern)} --`;
}

export const find: Module<Args, Listing, never> = {
  meta: {
    name: 'find',
    description: 'Return the files under some directories that match name patterns, type, age and size, as Ansible does.',
    platforms: ['linux'],
    checkMode: 'full',
    collections: ['ansible.builtin'],
    example: "find:\n  paths: /var/log\n  patterns: '*.log'\n  age: 2d\n  recurse: true\nregister: old_logs",
    returns: {
      files: 'One record per match (path, mode, isdir, isreg, islnk, size, uid, gid, pw_name, gr_name, mtime, atime, ctime, ...), sorted by path.',
      matched: 'How many files matched.',
      examined: 'How many entries were looked at.',
      skipped_paths: 'Paths that were not searched, with the reason.',
      msg: "'All paths examined', or that some were skipped.",
    },
  },
  schema,
  async read(ctx, args) {
    const cmd = listCommand(list(args.paths ?? args.path ?? args.name), { recurse: args.recurse === true, depth: args.depth, follow: args.follow === true });
    const r = await ctx.run(cmd);
    if (r.rc !== 0 && !r.stdout) throw new Error(`find failed: ${r.stderr.trim() || `exit code ${r.rc}`}`);
    const listing = parseListing(r.stdout);
    if (args.contains === undefined) return listing;
    let candidates: string[];
    try {
      pyRegex(args.contains);
      candidates = selectFiles(listing, selectionOf(args, false)).filter((e) => e.type === 'f').map((e) => e.path);
    } catch {
      return listing; // plan reports the bad pattern
    }
    if (candidates.length === 0) return { ...listing, containing: [] };
    const g = await ctx.run(grepCommand(candidates, args.contains, args.read_whole_file === true));
    return { ...listing, containing: g.stdout.split('\0').filter(Boolean) };
  },
  plan(args, listing) {
    if (list(args.paths ?? args.path ?? args.name).length === 0) return { changes: [], failed: 'paths is required' };
    let files: FoundEntry[];
    try {
      if (args.contains !== undefined) pyRegex(args.contains);
      files = selectFiles(listing, selectionOf(args, true));
    } catch (e) {
      return { changes: [], failed: (e as Error).message };
    }
    const skipped = Object.fromEntries(listing.skipped.map((p) => [p, `'${p}' is not a directory`]));
    const warnings = listing.skipped.map((p) => `Skipped '${p}' path due to this access issue: '${p}' is not a directory`);
    const msg = warnings.length > 0 ? 'Not all paths examined, check warnings for details' : 'All paths examined';
    return {
      changes: [],
      reason: `${files.length} of ${listing.entries.length} entries matched`,
      warnings,
      result: { files: files.map(record), matched: files.length, examined: listing.entries.length, skipped_paths: skipped, msg },
    };
  },
  async apply() {
    return { changed: false };
  },
};
