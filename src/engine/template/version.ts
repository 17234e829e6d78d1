// The `version` test: Ansible compares with Python's LooseVersion by default, which splits a version
// into numbers and lowercase words and compares them in order. That orders MOFED versions
// correctly: 5.8-3.0.7.0 < 23.10-1.1.9.0 < 24.01-0.3.3.1.

type Part = number | string;

export function looseParts(v: string): Part[] {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x !== '' && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

function comparePart(a: Part, b: Part): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  // Python 2's ordering (numbers before strings) rather than Python 3's TypeError, so that
  // `1.0.1` vs `1.0-rc1` answers instead of failing the play.
  return typeof a === 'number' ? -1 : 1;
}

function compareLists(a: Part[], b: Part[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = comparePart(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length === 0 ? 0 : a.length < b.length ? -1 : 1;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function compareSemver(a: string, b: string): number {
  const ma = SEMVER.exec(a);
  const mb = SEMVER.exec(b);
  if (!ma) throw new Error(`'${a}' is not a semantic version (MAJOR.MINOR.PATCH[-pre][+build])`);
  if (!mb) throw new Error(`'${b}' is not a semantic version (MAJOR.MINOR.PATCH[-pre][+build])`);
  for (let i = 1; i <= 3; i++) {
    const d = Number(ma[i]) - Number(mb[i]);
    if (d !== 0) return Math.sign(d);
  }
  const pa = ma[4];
  const pb = mb[4];
  if (pa === pb) return 0;
  if (pa === undefined) return 1;
  if (pb === undefined) return -1;
  return compareLists(
    pa.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x)),
    pb.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x)),
  );
}

const STRICT = /^\d+\.\d+(\.\d+)?([ab]\d+)?$/;

export function compareVersions(a: string, b: string, type = 'loose'): number {
  switch (type) {
    case 'loose':
      return compareLists(looseParts(a), looseParts(b));
    case 'strict':
      for (const v of [a, b]) if (!STRICT.test(v)) throw new Error(`invalid strict version '${v}' (expected N.N[.N][aN|bN])`);
      return compareLists(looseParts(a), looseParts(b));
    case 'semver':
    case 'semantic':
      return compareSemver(a, b);
    default:
      throw new Error(`version_type '${type}' is not supported (use loose, strict or semver)`);
  }
}

const OPS: Record<string, (c: number) => boolean> = {
  '==': (c) => c === 0,
  '=': (c) => c === 0,
  eq: (c) => c === 0,
  '!=': (c) => c !== 0,
  '<>': (c) => c !== 0,
  ne: (c) => c !== 0,
  '<': (c) => c < 0,
  lt: (c) => c < 0,
  '<=': (c) => c <= 0,
  le: (c) => c <= 0,
  '>': (c) => c > 0,
  gt: (c) => c > 0,
  '>=': (c) => c >= 0,
  ge: (c) => c >= 0,
};

export function versionTest(value: unknown, other: unknown, op = 'eq', type = 'loose'): boolean {
  const check = OPS[op];
  if (!check) throw new Error(`invalid version operator '${op}' (use one of ${Object.keys(OPS).join(' ')})`);
  if (value === null || value === undefined || value === '') throw new Error('version test: the value to compare is empty');
  return check(compareVersions(String(value), String(other), type));
}
