// Files every connection reads (private keys, known_hosts, ssh_config), parsed once per version:
// hundreds of connections opening at once share one read and parse (a promise), and a file whose
// mtime or size changed is read again.
import { readFile, stat } from 'node:fs/promises';

export interface ParseOptions<T> {
  /** What a file that stats but cannot be read yields (or throw, to reject). */
  unreadable: (e: unknown) => T;
  /** Parses of one file that differ (e.g. by passphrase) are cached apart under this key. */
  variant?: string;
}

/** A reader whose parsed results are cached per path (and variant) and file version; undefined = not a file. */
export function fileVersionCache<T>(): (path: string, parse: (data: Buffer) => T, opts: ParseOptions<T>) => Promise<T | undefined> {
  const cache = new Map<string, { mtimeMs: number; size: number; value: Promise<T> }>();
  return async (path, parse, opts) => {
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) return undefined;
    const key = opts.variant === undefined ? path : `${path}\0${opts.variant}`;
    const hit = cache.get(key);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.value;
    const value = readFile(path).then(parse, opts.unreadable);
    cache.set(key, { mtimeMs: st.mtimeMs, size: st.size, value });
    return value;
  };
}
