// Ansible's list combinatorics and lookups into containers (extract, subelements, product,
// permutations, combinations, zip_longest), controller paths (expanduser, realpath), comment and
// password_hash (SHA-512 crypt, the `$6$` format /etc/shadow and Python's crypt module use).
import { createHash, randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { readFileSync, realpathSync } from 'node:fs';
import { member } from '../member.js';
import { isDict, pyRepr, pyStr, pyTypeName, truthy } from '../py-values.js';
import { defined, type FilterFn } from './core.js';

function list(v: unknown, filter: string): unknown[] {
  defined(v);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return Object.keys(v);
  throw new Error(`'${filter}' needs a list, got ${pyTypeName(v)}`);
}

function product(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((prefix) => l.map((x) => [...prefix, x])), [[]]);
}

function permutations(items: unknown[], r: number): unknown[][] {
  if (r === 0) return [[]];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)], r - 1).map((p) => [x, ...p]));
}

function combinations(items: unknown[], r: number): unknown[][] {
  if (r === 0) return [[]];
  return items.flatMap((x, i) => combinations(items.slice(i + 1), r - 1).map((c) => [x, ...c]));
}

function count(v: unknown, what: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a non-negative integer, got ${pyRepr(v)}`);
  return n;
}

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function repeatTo(block: Buffer, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i += block.length) block.copy(out, i, 0, Math.min(block.length, n - i));
  return out;
}

/** SHA-512 crypt as specified by Ulrich Drepper ("Unix crypt using SHA-256 and SHA-512"). */
export function sha512Crypt(password: string, salt: string, rounds = 5000): string {
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 16), 'utf8');
  const h = (...parts: Buffer[]) => createHash('sha512').update(Buffer.concat(parts)).digest();
  const b = h(p, s, p);
  const aParts = [p, s, repeatTo(b, p.length)];
  for (let n = p.length; n > 0; n >>= 1) aParts.push(n & 1 ? b : p);
  const a = h(...aParts);
  const pp = repeatTo(h(...Array<Buffer>(p.length).fill(p)), p.length);
  const ss = repeatTo(h(...Array<Buffer>(16 + a[0]!).fill(s)), s.length);
  let c = a;
  for (let i = 0; i < rounds; i++) {
    const parts: Buffer[] = [i & 1 ? pp : c];
    if (i % 3) parts.push(ss);
    if (i % 7) parts.push(pp);
    parts.push(i & 1 ? c : pp);
    c = h(...parts);
  }
  let out = '';
  const put = (b2: number, b1: number, b0: number, n: number) => {
    let w = (b2 << 16) | (b1 << 8) | b0;
    for (let i = 0; i < n; i++, w >>= 6) out += ITOA64[w & 0x3f];
  };
  // The byte order of the encoding: groups (k, k+21, k+42) rotated as the specification lists them.
  for (let i = 0; i < 21; i++) {
    const idx = [i, i + 21, i + 42];
    const rot = i % 3;
    const [x, y, z] = [idx[rot]!, idx[(rot + 1) % 3]!, idx[(rot + 2) % 3]!];
    put(c[x]!, c[y]!, c[z]!, 4);
  }
  put(0, 0, c[63]!, 2);
  return `$6$${rounds === 5000 ? '' : `rounds=${rounds}$`}${s.toString('utf8')}$${out}`;
}

export const COMBO_FILTERS: Record<string, FilterFn> = {
  extract(v, a) {
    const container = defined(a.get<unknown>('container', 0));
    const morekeys = a.get<unknown>('morekeys', 1);
    let out = member(container, defined(v), 'container');
    if (morekeys !== undefined && morekeys !== null) for (const k of Array.isArray(morekeys) ? morekeys : [morekeys]) out = member(out, k, 'container');
    return out;
  },
  zip_longest(v, a) {
    a.allow(['fillvalue']);
    const lists = [list(v, 'zip_longest'), ...a.pos.map((x) => list(x, 'zip_longest'))];
    const fill = a.kw.fillvalue ?? null;
    const n = Math.max(0, ...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : fill)));
  },
  subelements(v, a) {
    const key = a.get<unknown>('subelements', 0);
    const skip = truthy(a.get('skip_missing', 1, false));
    const path = Array.isArray(key) ? key.map(pyStr) : typeof key === 'string' ? key.split('.') : undefined;
    if (!path) throw new Error('subelements must be a list or a string');
    const items = isDict(defined(v)) ? Object.values(v as object) : Array.isArray(v) ? v : undefined;
    if (!items) throw new Error('obj must be a list of dicts or a nested dict');
    return items.flatMap((item) => {
      let sub: unknown = item;
      for (const k of path) {
        if (!isDict(sub) || !(k in sub)) {
          if (skip) return [];
          throw new Error(`could not find '${k}' key in iterated item '${pyRepr(sub)}'`);
        }
        sub = sub[k];
      }
      if (!Array.isArray(sub)) throw new Error(`the key '${path.at(-1)}' should point to a list, got '${pyRepr(sub)}'`);
      return sub.map((s) => [item, s]);
    });
  },
  product(v, a) {
    a.allow(['repeat']);
    const lists = [list(v, 'product'), ...a.pos.map((x) => list(x, 'product'))];
    const repeat = count(a.kw.repeat ?? 1, 'repeat');
    return product(Array.from({ length: repeat }, () => lists).flat());
  },
  permutations(v, a) {
    const items = list(v, 'permutations');
    const r = a.get<unknown>('r', 0);
    const n = r === undefined || r === null ? items.length : count(r, 'r');
    return n > items.length ? [] : permutations(items, n);
  },
  combinations(v, a) {
    const items = list(v, 'combinations');
    const n = count(a.get('r', 0), 'r');
    return n > items.length ? [] : combinations(items, n);
  },
  expanduser(v) {
    const p = pyStr(defined(v));
    if (p === '~' || p.startsWith('~/')) return (process.env.HOME || homedir()) + p.slice(1);
    const m = /^~([^/]+)(.*)$/s.exec(p);
    if (!m) return p;
    // ~user: that user's home from the controller's passwd file, as Python's expanduser does.
    let passwd = '';
    try {
      passwd = readFileSync('/etc/passwd', 'utf8');
    } catch {
      return p;
    }
    const entry = passwd.split('\n').find((l) => l.split(':')[0] === m[1]);
    const home = entry?.split(':')[5];
    return home ? home.replace(/\/$/, '') + m[2] : p;
  },
  realpath(v) {
    const p = resolve(pyStr(defined(v)));
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  },
  comment(v, a) {
    const style = String(a.get('style', 0, 'plain'));
    const styles: Record<string, { decoration: string; prefix?: string; postfix?: string; beginning?: string; end?: string }> = {
      plain: { decoration: '# ' },
      erlang: { decoration: '% ' },
      c: { decoration: '// ' },
      cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
      xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
    };
    const st = styles[style];
    if (!st) throw new Error(`comment style must be one of ${Object.keys(styles).join(', ')}, not '${style}'`);
    const decoration = String(a.get('decoration', -1, st.decoration));
    const prefix = st.beginning !== undefined ? `${st.beginning}\n` : '';
    const postfix = st.end !== undefined ? `\n${st.end}` : '';
    // Ansible's defaults: one empty decorated line before and after the text.
    const body = pyStr(defined(v)).split('\n').map((l) => (decoration + l).replace(/\s+$/, (m) => (l === '' ? '' : m)));
    const edge = decoration.replace(/\s+$/, '');
    a.allow(['decoration', 'style']);
    return `${prefix}${edge}\n${body.join('\n')}\n${edge}${postfix}`;
  },
  password_hash(v, a) {
    const scheme = String(a.get('hashtype', 0, 'sha512'));
    const salt = a.get<unknown>('salt', 1);
    const rounds = a.get<unknown>('rounds', 2);
    a.allow(['hashtype', 'salt', 'rounds', 'ident']);
    if (scheme !== 'sha512' && scheme !== 'sha512_crypt') throw new Error(`password_hash: fleetplay supports hashtype 'sha512', not '${scheme}'`);
    const s = salt === undefined || salt === null ? randomSalt() : pyStr(salt);
    if (!/^[./0-9A-Za-z]*$/.test(s)) throw new Error('password_hash: the salt may hold only the characters ./0-9A-Za-z');
    // Ansible's default is passlib's 656000 rounds; crypt(3)'s 5000 is then written out, as Ansible does.
    return sha512Crypt(pyStr(defined(v)), s, rounds === undefined || rounds === null ? 656000 : count(rounds, 'rounds'));
  },
};

function randomSalt(): string {
  return Array.from(randomBytes(16), (b) => ITOA64[b & 0x3f]).join('');
}
