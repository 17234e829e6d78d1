// OpenSSH known_hosts: parsing, lookup and the line format for new entries. Entries are plain
// (`host,host2,[host]:2222 type key`, with `*`/`?` wildcards and `!` negation) or hashed
// (`|1|base64(salt)|base64(hmac-sha1(salt, host))`). `@revoked` marks a key that must never be
// accepted; `@cert-authority` lines are CA keys, which fleetplay does not verify certificates against.
import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface KnownHostEntry {
  marker?: 'cert-authority' | 'revoked';
  /** Plain patterns, or undefined for a hashed entry. */
  patterns?: string[];
  hashed?: { salt: Buffer; hash: Buffer };
  keyType: string;
  /** The key blob (base64-decoded). */
  key: Buffer;
  /** Where it came from, for messages (file:line). */
  source: string;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]!.startsWith('@')) {
      const m = fields.shift()!.slice(1);
      if (m !== 'cert-authority' && m !== 'revoked') return;
      marker = m;
    }
    const [hosts, keyType, keyB64] = fields;
    if (!hosts || !keyType || !keyB64) return;
    const key = Buffer.from(keyB64, 'base64');
    if (key.length === 0) return;
    const entry: KnownHostEntry = { marker, keyType, key, source: `${file}:${i + 1}` };
    if (hosts.startsWith('|1|')) {
      const [, , salt, hash] = hosts.split('|');
      if (!salt || !hash) return;
      entry.hashed = { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
    } else {
      entry.patterns = hosts.split(',');
    }
    entries.push(entry);
  });
  return entries;
}

/** The name known_hosts uses for a host: `host`, or `[host]:port` off port 22. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

// A run checks every connection against every known_hosts and ssh_config pattern: compiled once each.
const globCache = new Map<string, RegExp>();

function globMatch(pattern: string, name: string): boolean {
  let re = globCache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    if (globCache.size >= 50_000) globCache.clear();
    globCache.set(pattern, re);
  }
  return re.test(name);
}

/** OpenSSH pattern-list semantics: any negated match vetoes, otherwise any positive match wins. */
export function matchPatternList(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) {
      matched = true;
    }
  }
  return matched;
}

function entryMatchesHost(e: KnownHostEntry, name: string): boolean {
  if (e.hashed) {
    const mac = createHmac('sha1', e.hashed.salt).update(name).digest();
    return mac.length === e.hashed.hash.length && mac.equals(e.hashed.hash);
  }
  return matchPatternList(e.patterns ?? [], name);
}

/**
 * Entries by the literal names they list, so a lookup does not scan a 500-line known_hosts for each
 * of 500 connections. Hashed entries and patterns with wildcards or negations are still scanned.
 */
interface KnownHostsIndex {
  exact: Map<string, number[]>;
  scan: number[];
}

const indexes = new WeakMap<readonly KnownHostEntry[], KnownHostsIndex>();

function indexOf(entries: readonly KnownHostEntry[]): KnownHostsIndex {
  let ix = indexes.get(entries);
  if (ix) return ix;
  ix = { exact: new Map(), scan: [] };
  entries.forEach((e, i) => {
    if (e.marker !== undefined) return;
    if (!e.patterns || e.patterns.some((p) => /[*?!]/.test(p))) {
      ix!.scan.push(i);
      return;
    }
    for (const p of new Set(e.patterns.map((p) => p.toLowerCase()))) {
      const list = ix!.exact.get(p);
      if (list) list.push(i);
      else ix!.exact.set(p, [i]);
    }
  });
  indexes.set(entries, ix);
  return ix;
}

/** The unmarked entries for any of `names`, in file order. */
function entriesForHost(entries: readonly KnownHostEntry[], names: readonly string[]): KnownHostEntry[] {
  const ix = indexOf(entries);
  const hits = new Set<number>();
  for (const n of names) for (const i of ix.exact.get(n.toLowerCase()) ?? []) hits.add(i);
  for (const i of ix.scan) if (!hits.has(i) && names.some((n) => entryMatchesHost(entries[i]!, n))) hits.add(i);
  return [...hits].sort((a, b) => a - b).map((i) => entries[i]!);
}

export type HostKeyVerdict =
  | { status: 'match'; entry: KnownHostEntry }
  | { status: 'mismatch'; entries: KnownHostEntry[] }
  | { status: 'revoked'; entry: KnownHostEntry }
  | { status: 'unknown' };

/**
 * Checks the key a server presented under each of `names` (the connect name first; an alias or
 * the address may follow). A revoked key is refused whatever the host; a host known only with
 * different keys is a mismatch.
 */
export function checkHostKey(entries: readonly KnownHostEntry[], names: readonly string[], key: Buffer): HostKeyVerdict {
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { status: 'revoked', entry: revoked };
  const forHost = entriesForHost(entries, names);
  const match = forHost.find((e) => e.key.equals(key));
  if (match) return { status: 'match', entry: match };
  if (forHost.length > 0) return { status: 'mismatch', entries: forHost };
  return { status: 'unknown' };
}

/** Key types known for a host, so the handshake can prefer them (as OpenSSH orders HostKeyAlgorithms). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], names: readonly string[]): string[] {
  return [...new Set(entriesForHost(entries, names).map((e) => e.keyType))];
}

/** `SHA256:<base64 without padding>`, as `ssh-keygen -l` and OpenSSH's messages print it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name inside a public key blob (its first SSH string). */
export function keyTypeOfBlob(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const len = key.readUInt32BE(0);
  return key.subarray(4, 4 + len).toString('latin1');
}

/** A known_hosts line for a newly accepted key (hashed like `HashKnownHosts yes` when asked). */
export function formatKnownHostLine(name: string, key: Buffer, hash = false): string {
  let host = name;
  if (hash) {
    const salt = randomBytes(20);
    host = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
  }
  return `${host} ${keyTypeOfBlob(key)} ${key.toString('base64')}\n`;
}
