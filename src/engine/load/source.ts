// A parsed YAML file as the loader walks it: plain values plus cheap access to the locations of any
// subtree, re-keyed relative to that subtree (what VarBlock.locs and TaskNode.argLocs hold).
import path from 'node:path';
import type { Loc } from '../contract/diagnostics.js';
import type { LocMap } from '../contract/playbook.js';
import { locAt, type YamlSource } from './yaml-source.js';

export class Source {
  readonly file: string;
  readonly abs: string;
  readonly dir: string;
  readonly value: unknown;
  readonly locs: LocMap;
  private sortedKeys: string[] | undefined;

  constructor(abs: string, parsed: YamlSource) {
    this.abs = abs;
    this.dir = path.dirname(abs);
    this.file = parsed.file;
    this.value = parsed.value;
    this.locs = parsed.locs;
  }

  /** Where the value at `pointer` (or its nearest located ancestor) starts. */
  loc(pointer: string): Loc {
    return locAt(this.locs, pointer, { file: this.file, line: 1, col: 1 });
  }

  /** Where the key naming `pointer` is written (`when:`), falling back to its value. */
  keyLoc(pointer: string): Loc {
    return this.locs[`#${pointer}`] ?? this.loc(pointer);
  }

  /** Locations under `pointer`, keyed relative to it ('' = the node itself, `#/k` = key `k`). */
  sub(pointer: string): Record<string, Loc> {
    const keys = (this.sortedKeys ??= Object.keys(this.locs).sort());
    const out: Record<string, Loc> = {};
    for (const [prefix, outPrefix] of [[pointer, ''], [`#${pointer}`, '#']] as const) {
      if (outPrefix === '' && this.locs[pointer]) out[''] = this.locs[pointer]!;
      const from = `${prefix}/`;
      for (let i = lowerBound(keys, from); i < keys.length && keys[i]!.startsWith(from); i++) {
        out[`${outPrefix}${keys[i]!.slice(prefix.length)}`] = this.locs[keys[i]!]!;
      }
    }
    return out;
  }
}

function lowerBound(keys: string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How a file is named in messages: relative to the working directory when it lies under it. */
export function displayPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}
