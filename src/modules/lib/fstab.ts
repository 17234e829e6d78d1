// fstab and /proc/mounts text, pure. Edits follow ansible.posix.mount: an entry is found by its mount
// point (for swap, whose mount point is `none`, by its source); a matching line whose fields differ
// is rewritten as `src path fstype opts dump passno`, an identical one is kept byte for byte (so
// comments, spacing and tabs survive), a missing one is appended. Spaces and tabs in fields are
// written as fstab's octal escapes (\040, \011).

export interface FstabEntry {
  src: string;
  path: string;
  fstype: string;
  opts: string;
  dump: string;
  passno: string;
}

const escapeField = (s: string) => s.replaceAll('\\', '\\134').replaceAll(' ', '\\040').replaceAll('\t', '\\011').replaceAll('\n', '\\012');
/** fstab and /proc/mounts both write whitespace in fields as backslash + three octal digits. */
export const unescapeField = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export const fstabLine = (e: FstabEntry) => `${[e.src, e.path, e.fstype, e.opts].map(escapeField).join(' ')} ${e.dump} ${e.passno}\n`;

/** A data line's fields, or undefined for blank lines, comments and lines fstab would not accept. */
function parseLine(line: string): FstabEntry | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return undefined;
  const f = t.split(/\s+/);
  if (f.length < 4 || f.length > 6) return undefined;
  const [src, path, fstype, opts, dump = '0', passno = '0'] = f.map(unescapeField) as [string, string, string, string, string?, string?];
  return { src, path, fstype, opts, dump, passno };
}

const matches = (e: FstabEntry, path: string, src?: string) => e.path === path && (src === undefined || path !== 'none' || e.fstype !== 'swap' || e.src === src);

export function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/** The entries for path in the file (there may be more than one; Ansible edits every one). */
export function findEntries(text: string, path: string, src?: string): FstabEntry[] {
  return splitLines(text).map(parseLine).filter((e): e is FstabEntry => e !== undefined && matches(e, path, src));
}

/** The file with the entry set: every line for its mount point updated, or one appended. */
export function setEntry(text: string, want: FstabEntry): string {
  let found = false;
  const out = splitLines(text).map((line) => {
    const e = parseLine(line);
    if (!e || !matches(e, want.path, want.src)) return line;
    found = true;
    const same = e.src === want.src && e.fstype === want.fstype && e.opts === want.opts && e.dump === want.dump && e.passno === want.passno;
    return same ? line : fstabLine(want);
  });
  if (!found) {
    if (out.length > 0 && !out[out.length - 1]!.endsWith('\n')) out[out.length - 1] += '\n';
    out.push(fstabLine(want));
  }
  return out.join('');
}

/** The file without any line for the mount point. */
export function removeEntry(text: string, path: string, src?: string): string {
  return splitLines(text)
    .filter((line) => {
      const e = parseLine(line);
      return !e || !matches(e, path, src);
    })
    .join('');
}

/** The mount points in /proc/self/mounts text, unescaped. */
export function mountPoints(procMounts: string): Set<string> {
  const out = new Set<string>();
  for (const line of procMounts.split('\n')) {
    const f = line.split(' ');
    if (f.length >= 2 && f[1]) out.add(unescapeField(f[1]));
  }
  return out;
}
