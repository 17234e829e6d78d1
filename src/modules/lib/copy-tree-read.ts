// What copy needs to know to copy a directory: the source tree (a controller directory walked here,
// or a host directory listed on the host for remote_src) and what the destination tree holds now
// (one `find` + `sha1sum` on the host), so the planner can compare them file by file.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostContext } from '../../engine/contract/module.js';
import { shQuote } from '../../engine/connection/quote.js';
import { sha1 } from './content.js';

/** One entry of the source tree; rel '' is the tree's root directory itself. */
export interface SrcEntry {
  rel: string;
  dir: boolean;
  /** The source's permission bits, kept only where the copy preserves them (remote_src trees). */
  mode?: number;
  sha1?: string;
  size?: number;
  /** Controller files: their content, carried in the plan to apply. */
  data?: Buffer;
}

/** One entry of a host tree, rel '' = its root. */
export interface HostEntry {
  rel: string;
  type: 'file' | 'directory' | 'other';
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  sha1?: string;
}

export interface HostTree {
  /** The path does not exist, is a directory (entries listed) or is something else. */
  state: 'missing' | 'directory' | 'other';
  entries: Map<string, HostEntry>;
}

/** Walks a controller directory, following symlinks as Ansible's copy does (local_follow). */
export async function walkController(root: string): Promise<SrcEntry[]> {
  const out: SrcEntry[] = [{ rel: '', dir: true }];
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(rel ? join(root, rel) : root)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = await stat(join(root, r));
      if (st.isDirectory()) {
        out.push({ rel: r, dir: true });
        await walk(r);
      } else if (st.isFile()) {
        const data = await readFile(join(root, r));
        out.push({ rel: r, dir: false, data, sha1: sha1(data), size: data.length });
      }
    }
  };
  await walk('');
  return out;
}

const TYPES: Record<string, HostEntry['type']> = { f: 'file', d: 'directory' };

/**
 * Lists a host directory tree with modes, owners and sha1s, or says it is missing / not a directory.
 * Runs in a subshell so its `cd` stays there. -L: a symlinked directory inside counts as the
 * directory it points to. Names with a newline are not supported (find prints one per line).
 */
export function treeListing(path: string, deep = true): string {
  const p = shQuote(path);
  return [
    `( if [ -d ${p} ]; then echo @dir; cd -- ${p} || exit 1`,
    deep
      ? `find -L . -printf '%y\\t%m\\t%U\\t%G\\t%u\\t%g\\t%s\\t%P\\n' && find -L . -type f -exec sha1sum -- {} +`
      : `find . -maxdepth 0 -printf '%y\\t%m\\t%U\\t%G\\t%u\\t%g\\t%s\\t%P\\n'`,
    `elif [ -e ${p} ] || [ -L ${p} ]; then echo @other; else echo @missing; fi )`,
  ].join('\n');
}

/** Parses one treeListing's lines (from its @ marker to the next marker or the end). */
export function parseTreeListing(lines: string[]): HostTree {
  const state = lines[0] === '@dir' ? 'directory' : lines[0] === '@other' ? 'other' : 'missing';
  const entries = new Map<string, HostEntry>();
  const sums = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const sum = /^\\?([0-9a-f]{40}) {2}\.\/(.*)$/.exec(line);
    if (sum) {
      // sha1sum escapes a name holding a backslash (and marks the line with a leading one).
      const name = line.startsWith('\\') ? sum[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)) : sum[2]!;
      sums.set(name, sum[1]!);
      continue;
    }
    const f = line.split('\t');
    if (f.length < 8) continue;
    const rel = f.slice(7).join('\t');
    entries.set(rel, {
      rel,
      type: TYPES[f[0]!] ?? 'other',
      mode: parseInt(f[1]!, 8),
      uid: Number(f[2]),
      gid: Number(f[3]),
      owner: f[4]!,
      group: f[5]!,
      size: Number(f[6]),
    });
  }
  for (const [rel, s] of sums) {
    const e = entries.get(rel);
    if (e) e.sha1 = s;
  }
  return { state, entries };
}

/** Runs several listings in one round trip (deep: the whole tree; else the path alone); the answers in order. */
export async function listHostTrees(ctx: HostContext, paths: Array<{ path: string; deep: boolean }>): Promise<HostTree[]> {
  const r = await ctx.run(paths.map((p) => `echo @@; ${treeListing(p.path, p.deep)}`).join('\n'));
  if (r.rc !== 0) throw new Error(`cannot list ${paths.map((p) => p.path).join(', ')}: ${r.stderr.trim() || `exit code ${r.rc}`}`);
  const parts = r.stdout.split(/^@@\n/m).slice(1);
  return paths.map((_, i) => parseTreeListing((parts[i] ?? '').split('\n').filter((l) => l !== '')));
}

/** A remote source tree as source entries: modes are kept (as a recursive copy on the host keeps them). */
export function remoteSource(tree: HostTree): SrcEntry[] {
  const out: SrcEntry[] = [];
  for (const e of [...tree.entries.values()].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))) {
    if (e.type === 'other') continue;
    out.push({ rel: e.rel, dir: e.type === 'directory', mode: e.mode, ...(e.type === 'file' ? { sha1: e.sha1, size: e.size } : {}) });
  }
  return out;
}
