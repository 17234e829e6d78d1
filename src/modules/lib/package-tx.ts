// What a package manager says it would do (apt-get -s, dnf --assumeno), parsed into one shape the
// package modules report in check mode and after a run, and the version rules they need.

export interface PackageChange {
  name: string;
  /** Installed version before (upgrades, downgrades, removals). */
  from?: string;
  /** Version after (installs, upgrades, downgrades). */
  to?: string;
}

export interface Transaction {
  install: PackageChange[];
  upgrade: PackageChange[];
  downgrade: PackageChange[];
  remove: PackageChange[];
}

export const emptyTransaction = (): Transaction => ({ install: [], upgrade: [], downgrade: [], remove: [] });

export function isEmptyTransaction(t: Transaction): boolean {
  return t.install.length + t.upgrade.length + t.downgrade.length + t.remove.length === 0;
}

/** "install a (1.0), upgrade b (1.0 → 2.0), remove c (3.0)": what a check run reports. */
export function describeTransaction(t: Transaction): string {
  const parts: string[] = [];
  const list = (verb: string, items: PackageChange[], fmt: (c: PackageChange) => string) => {
    if (items.length) parts.push(`${verb} ${items.map(fmt).join(', ')}`);
  };
  list('install', t.install, (c) => `${c.name} (${c.to})`);
  list('upgrade', t.upgrade, (c) => `${c.name} (${c.from} → ${c.to})`);
  list('downgrade', t.downgrade, (c) => `${c.name} (${c.from} → ${c.to})`);
  list('remove', t.remove, (c) => `${c.name}${c.from ? ` (${c.from})` : ''}`);
  return parts.join('; ');
}

/** The fields diff: one line per package, before → after (absent when not installed). */
export function transactionFields(t: Transaction): Array<{ key: string; before: unknown; after: unknown }> {
  return [
    ...t.install.map((c) => ({ key: c.name, before: 'absent', after: c.to })),
    ...t.upgrade.map((c) => ({ key: c.name, before: c.from, after: c.to })),
    ...t.downgrade.map((c) => ({ key: c.name, before: c.from, after: c.to })),
    ...t.remove.map((c) => ({ key: c.name, before: c.from ?? 'installed', after: 'absent' })),
  ];
}

/**
 * rpm's version comparison (rpmvercmp): alternating runs of digits and letters, digits compare as
 * numbers and beat letters, `~` sorts before anything (pre-releases), `^` after the base version.
 */
export function rpmVercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const sep = (c: string | undefined) => c !== undefined && !/[A-Za-z0-9~^]/.test(c);
  while (i < a.length || j < b.length) {
    while (sep(a[i])) i++;
    while (sep(b[j])) j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const digit = /[0-9]/.test(a[i]!);
    const run = digit ? /^[0-9]+/ : /^[A-Za-z]+/;
    const x = a.slice(i).match(run)?.[0] ?? '';
    const y = b.slice(j).match(run)?.[0] ?? '';
    if (y === '') return digit ? 1 : -1;
    i += x.length;
    j += y.length;
    if (digit) {
      const nx = x.replace(/^0+/, '');
      const ny = y.replace(/^0+/, '');
      if (nx.length !== ny.length) return nx.length > ny.length ? 1 : -1;
      if (nx !== ny) return nx > ny ? 1 : -1;
    } else if (x !== y) return x > y ? 1 : -1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** Compares [epoch:]version[-release] strings the way rpm does. */
export function rpmEvrCompare(a: string, b: string): number {
  const split = (s: string) => {
    const colon = s.indexOf(':');
    const epoch = colon >= 0 ? Number(s.slice(0, colon)) || 0 : 0;
    const rest = colon >= 0 ? s.slice(colon + 1) : s;
    const dash = rest.lastIndexOf('-');
    return { epoch, version: dash >= 0 ? rest.slice(0, dash) : rest, release: dash >= 0 ? rest.slice(dash + 1) : undefined };
  };
  const x = split(a);
  const y = split(b);
  if (x.epoch !== y.epoch) return x.epoch > y.epoch ? 1 : -1;
  const v = rpmVercmp(x.version, y.version);
  if (v !== 0) return v;
  // A requirement without a release matches any release of that version.
  if (x.release === undefined || y.release === undefined) return 0;
  return rpmVercmp(x.release, y.release);
}
