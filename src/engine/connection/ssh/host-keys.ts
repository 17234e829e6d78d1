// Host key policy for one connection: strict (default: unknown or changed key = unreachable),
// accept-new (record unknown keys, still refuse changed ones), off (explicit only). known_hosts files
// are parsed once and re-read only when they change, so 500 connections do not parse them 500 times.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileVersionCache } from './file-versions.js';
import {
  checkHostKey,
  fingerprint,
  formatKnownHostLine,
  keyTypeOfBlob,
  knownKeyTypes,
  parseKnownHosts,
  type KnownHostEntry,
} from './known-hosts.js';

export type HostKeyPolicy = 'strict' | 'accept-new' | 'off';

export interface HostKeySettings {
  policy: HostKeyPolicy;
  /** User known_hosts files; accept-new appends to the first. */
  userFiles: string[];
  /** System-wide files (read only). */
  globalFiles: string[];
  /** Names the host is known by, connect name first (`host` or `[host]:port`). */
  names: string[];
  /** Write new entries hashed (`HashKnownHosts yes`). */
  hashNew: boolean;
}

const knownHostsFiles = fileVersionCache<KnownHostEntry[]>();

async function loadFile(file: string): Promise<KnownHostEntry[]> {
  return (await knownHostsFiles(file, (data) => parseKnownHosts(data.toString('utf8'), file), { unreadable: () => [] })) ?? [];
}

/** The last merged list per set of files: the same array while no file changes, so its lookup index (known-hosts.ts) is reused. */
const merged = new Map<string, { parts: KnownHostEntry[][]; all: KnownHostEntry[] }>();

async function loadAll(s: HostKeySettings): Promise<KnownHostEntry[]> {
  const files = [...s.userFiles, ...s.globalFiles];
  const parts = await Promise.all(files.map(loadFile));
  const key = files.join('\0');
  const hit = merged.get(key);
  if (hit && hit.parts.length === parts.length && hit.parts.every((p, i) => p === parts[i])) return hit.all;
  const all = parts.flat();
  merged.set(key, { parts, all });
  return all;
}

/** Keys accepted under accept-new during this run, per file and host (concurrent connections to one
 * host must agree even before the appended line is read back). */
const acceptedThisRun = new Map<string, Buffer>();

/** Host key algorithms to offer first: those already known for the host (avoids false mismatches). */
export async function preferredHostKeyTypes(s: HostKeySettings): Promise<string[]> {
  if (s.policy === 'off') return [];
  return knownKeyTypes(await loadAll(s), s.names);
}

/** undefined = accept; otherwise the reason the key is refused (names the host and fingerprint). */
export async function verifyHostKey(s: HostKeySettings, key: Buffer): Promise<string | undefined> {
  if (s.policy === 'off') return undefined;
  const name = s.names[0]!;
  const fp = `${keyTypeOfBlob(key)} ${fingerprint(key)}`;
  const verdict = checkHostKey(await loadAll(s), s.names, key);
  switch (verdict.status) {
    case 'match':
      return undefined;
    case 'revoked':
      return `host key for ${name} (${fp}) is marked @revoked in ${verdict.entry.source}: refusing to connect`;
    case 'mismatch': {
      const known = verdict.entries.map((e) => `${e.keyType} ${fingerprint(e.key)} (${e.source})`).join(', ');
      return (
        `HOST KEY MISMATCH for ${name}: the server presented ${fp} but known_hosts has ${known}. ` +
        `Someone could be intercepting the connection, or the host was reinstalled; if the change is expected, ` +
        `remove the old entry (ssh-keygen -R '${name}'${verdict.entries[0] ? ` -f ${verdict.entries[0].source.replace(/:\d+$/, '')}` : ''})`
      );
    }
    case 'unknown':
      break;
  }
  const runKey = `${s.userFiles[0] ?? ''}\0${name}`;
  const seen = acceptedThisRun.get(runKey);
  if (seen) return seen.equals(key) ? undefined : `HOST KEY MISMATCH for ${name}: the server presented ${fp}, a different key than the one accepted earlier in this run`;
  if (s.policy === 'strict') {
    const file = s.userFiles[0] ?? '~/.ssh/known_hosts';
    return (
      `host key for ${name} is not known (${fp}) and host key checking is strict: ` +
      `check the fingerprint and add the key to ${file}, or allow new hosts with host key checking 'accept-new' ` +
      `(-o StrictHostKeyChecking=accept-new)`
    );
  }
  acceptedThisRun.set(runKey, key);
  const file = s.userFiles[0];
  if (file && file !== '/dev/null') {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    // One short O_APPEND write per line: concurrent connections do not interleave.
    await appendFile(file, formatKnownHostLine(name, key, s.hashNew), { mode: 0o600 });
  }
  return undefined;
}
