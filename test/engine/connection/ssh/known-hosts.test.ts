import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  fingerprint,
  formatKnownHostLine,
  keyTypeOfBlob,
  knownHostName,
  knownKeyTypes,
  matchPatternList,
  parseKnownHosts,
} from '../../../../src/engine/connection/ssh/known-hosts.js';

const fixture = (f: string) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8');
const blob = (pub: string) => Buffer.from(pub.split(' ')[1]!, 'base64');
const ed = blob(fixture('ed25519.pub'));
const ec = blob(fixture('ecdsa.pub'));
const entries = parseKnownHosts(fixture('known_hosts'), 'known_hosts');

describe('known_hosts parsing', () => {
  it('reads plain, bracketed-port, wildcard and marker lines and skips comments and junk', () => {
    expect(entries.map((e) => [e.marker ?? '', e.patterns?.join(','), e.keyType, e.source])).toEqual([
      ['', 'web1,192.0.2.10', 'ssh-ed25519', 'known_hosts:2'],
      ['', '[bastion.example]:2222', 'ecdsa-sha2-nistp256', 'known_hosts:3'],
      ['', '*.cluster.example,!bad.cluster.example', 'ssh-ed25519', 'known_hosts:4'],
      ['revoked', '*', 'ecdsa-sha2-nistp256', 'known_hosts:5'],
      ['cert-authority', '*.example', 'ssh-ed25519', 'known_hosts:6'],
    ]);
  });

  it('names hosts off port 22 in brackets', () => {
    expect(knownHostName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(knownHostName('bastion.example', 2222)).toBe('[bastion.example]:2222');
  });

  it('matches pattern lists with negation vetoing', () => {
    expect(matchPatternList(['*.cluster.example', '!bad.cluster.example'], 'n1.cluster.example')).toBe(true);
    expect(matchPatternList(['*.cluster.example', '!bad.cluster.example'], 'bad.cluster.example')).toBe(false);
    expect(matchPatternList(['web?'], 'web1')).toBe(true);
    expect(matchPatternList(['web?'], 'web10')).toBe(false);
  });
});

describe('host key verdicts', () => {
  it('accepts the recorded key under any of the names on its line', () => {
    expect(checkHostKey(entries, ['web1'], ed).status).toBe('match');
    expect(checkHostKey(entries, ['192.0.2.10'], ed).status).toBe('match');
    expect(checkHostKey(entries, ['n7.cluster.example'], ed).status).toBe('match');
  });

  it('reports a different key for a known host as a mismatch, naming the recorded entry', () => {
    const v = checkHostKey(entries, ['web1'], Buffer.concat([ed.subarray(0, -1), Buffer.from([ed[ed.length - 1]! ^ 1])]));
    expect(v.status).toBe('mismatch');
    if (v.status === 'mismatch') expect(v.entries[0]!.source).toBe('known_hosts:2');
  });

  it('refuses a revoked key whatever the host, even where it is otherwise recorded', () => {
    expect(checkHostKey(entries, ['[bastion.example]:2222'], ec).status).toBe('revoked');
    expect(checkHostKey(entries, ['anything'], ec).status).toBe('revoked');
  });

  it('treats unknown hosts (and CA lines) as unknown, and negated names as unknown', () => {
    expect(checkHostKey(entries, ['other.example'], ed).status).toBe('unknown');
    expect(checkHostKey(entries, ['bad.cluster.example'], ed).status).toBe('unknown');
  });

  it('matches hashed entries written by ssh-keygen -H', () => {
    const hashed = parseKnownHosts(fixture('hashed_known_hosts'), 'hashed');
    expect(hashed[0]!.hashed).toBeDefined();
    expect(checkHostKey(hashed, ['hashme.example'], ed).status).toBe('match');
    expect(checkHostKey(hashed, ['other.example'], ed).status).toBe('unknown');
  });

  it('lists the key types known for a host (to prefer them in the handshake)', () => {
    expect(knownKeyTypes(entries, ['web1'])).toEqual(['ssh-ed25519']);
    expect(knownKeyTypes(entries, ['nowhere'])).toEqual([]);
  });
});

describe('lookups in a large known_hosts', () => {
  const pub = (e: Buffer) => e.toString('base64');
  const lines = Array.from({ length: 500 }, (_, i) => `host-${i},198.18.0.${i % 250} ssh-ed25519 ${pub(ed)}`);
  lines.push(`*.late.example ecdsa-sha2-nistp256 ${pub(ec)}`, `HOST-7 ecdsa-sha2-nistp256 ${pub(ec)}`);
  const big = parseKnownHosts(lines.join('\n'), 'big');

  it('finds literal names case-insensitively, keeps file order, and still applies wildcard lines', () => {
    expect(knownKeyTypes(big, ['host-7'])).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
    expect(checkHostKey(big, ['Host-7'], ec).status).toBe('match');
    expect(checkHostKey(big, ['n1.late.example'], ec).status).toBe('match');
    expect(checkHostKey(big, ['host-500'], ed).status).toBe('unknown');
    // Two lines list 198.18.0.3 (hosts 3 and 253): both are the host's entries, in file order.
    const v = checkHostKey(big, ['198.18.0.3'], ec);
    expect(v.status === 'mismatch' && v.entries.map((e) => e.source)).toEqual(['big:4', 'big:254']);
  });
});

describe('fingerprints and new lines', () => {
  it('prints SHA256 fingerprints as ssh-keygen -l does', () => {
    // Values from `ssh-keygen -lf` on the fixture keys.
    expect(fingerprint(ed)).toBe('SHA256:bK4De81BYlx3kPmGwEHJqjz4kS1rlP76V0o9/oAgApE');
    expect(fingerprint(ec)).toBe('SHA256:cR5hnBICVsavb6BwZbdEZfQMgNokUTPQH8QDUEdSjAM');
    expect(keyTypeOfBlob(ec)).toBe('ecdsa-sha2-nistp256');
  });

  it('formats plain and hashed lines that parse back to the same key', () => {
    const plain = formatKnownHostLine('[h]:2200', ed);
    expect(plain).toBe(`[h]:2200 ssh-ed25519 ${ed.toString('base64')}\n`);
    const hashedLine = formatKnownHostLine('h.example', ed, true);
    expect(hashedLine.startsWith('|1|')).toBe(true);
    expect(checkHostKey(parseKnownHosts(hashedLine, 'x'), ['h.example'], ed).status).toBe('match');
  });
});
