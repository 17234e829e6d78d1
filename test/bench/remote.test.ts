import { describe, expect, it } from 'vitest';
import { parseDropped } from '../../bench/remote/capture.js';
import { countSshdLog } from '../../bench/remote/sshd-log.js';
import { countTurns } from '../../bench/remote/turns.js';
import { formatPerHost, sessionsPerHost } from '../../bench/stats.js';

describe('sessions from an sshd log (LogLevel VERBOSE)', () => {
  const log = [
    'Connection from 198.18.0.1 port 45860 on 198.18.0.10 port 22 rdomain ""',
    'Accepted publickey for root from 198.18.0.1 port 45860 ssh2: ED25519 SHA256:pJvOWhrMGiQJJLinKTg41pe1ebKfmYaEG+sGioHnMJI',
    'Starting session: command for root from 198.18.0.1 port 45860 id 0',
    'Starting session: command for root from 198.18.0.1 port 45860 id 1',
    "Starting session: subsystem 'sftp' for root from 198.18.0.1 port 45860 id 2",
    'Starting session: shell on pts/0 for root from 198.18.0.1 port 45860 id 3',
    'Starting session: forced-command (key-option) \'true\' for root from 198.18.0.1 port 45860 id 4',
    'Close session: user root from 198.18.0.1 port 45860 id 0',
    'Received disconnect from 198.18.0.1 port 45860:11: disconnected by user',
    'Accepted publickey for root from 198.18.0.1 port 45870 ssh2: ED25519 SHA256:x',
    '',
  ].join('\n');

  it('counts exec requests, SFTP sessions, other sessions and connections', () => {
    expect(countSshdLog(log)).toEqual({ commands: 3, sftp: 1, other: 1, connections: 2 });
  });

  it('counts nothing in a log without sessions, and a run that only connected', () => {
    expect(countSshdLog('Server listening on 0.0.0.0 port 22.\n')).toEqual({ commands: 0, sftp: 0, other: 0, connections: 0 });
    expect(countSshdLog('')).toEqual({ commands: 0, sftp: 0, other: 0, connections: 0 });
  });

  it('per host: sessions are exec requests plus SFTP; the report prints one value or median (min–max)', () => {
    expect(sessionsPerHost({ commands: [14, 16], sftp: [2, 0] })).toEqual([16, 16]);
    expect(formatPerHost([16, 16, 16])).toBe('16');
    expect(formatPerHost([48, 50, 48])).toBe('48 (48–50)');
    expect(formatPerHost([1, 2])).toBe('1.5 (1–2)');
    expect(formatPerHost([])).toBe('—');
  });
});

describe('tcpdump statistics', () => {
  it('counts kernel drops and packets matched but never written', () => {
    expect(parseDropped('66 packets captured\n66 packets received by filter\n0 packets dropped by kernel\n')).toBe(0);
    expect(parseDropped('36 packets captured\n95 packets received by filter\n2 packets dropped by kernel\n')).toBe(61);
    expect(parseDropped('')).toBe(0);
  });
});

// A pcap file (little-endian, microseconds, Ethernet) of IPv4/TCP segments with headers only, as the
// capture writes it: the payload length is known from the IP header, not from the bytes kept.
type Seg = { src: string; dst: string; sport: number; dport: number; seq: number; len: number };
function pcap(segs: Seg[], opts: { bigEndian?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  const g = Buffer.alloc(24);
  const w32 = (b: Buffer, v: number, o: number) => (opts.bigEndian ? b.writeUInt32BE(v, o) : b.writeUInt32LE(v, o));
  w32(g, 0xa1b2c3d4, 0);
  g.writeUInt16LE(2, 4);
  w32(g, 128, 16);
  w32(g, 1, 20);
  if (opts.bigEndian) {
    g.writeUInt16BE(2, 4);
  }
  parts.push(g);
  const ip = (s: string) => Buffer.from(s.split('.').map(Number));
  for (const s of segs) {
    const frame = Buffer.alloc(14 + 20 + 20);
    frame.writeUInt16BE(0x0800, 12);
    frame[14] = 0x45;
    frame.writeUInt16BE(20 + 20 + s.len, 16);
    frame[23] = 6;
    ip(s.src).copy(frame, 26);
    ip(s.dst).copy(frame, 30);
    frame.writeUInt16BE(s.sport, 34);
    frame.writeUInt16BE(s.dport, 36);
    frame.writeUInt32BE(s.seq >>> 0, 38);
    frame[46] = 5 << 4;
    const rec = Buffer.alloc(16);
    w32(rec, frame.length, 8);
    w32(rec, 14 + 20 + 20 + s.len, 12);
    parts.push(rec, frame);
  }
  return Buffer.concat(parts);
}

const C = '198.18.0.1';
const H1 = '198.18.0.10';
const H2 = '198.18.0.11';
function conversation(host: string, cport: number, pattern: string, start = 1000): Seg[] {
  // pattern: c = client sends data, s = server sends data, a = client pure ACK, A = server pure ACK
  const seq = { c: start, s: 5000 };
  const out: Seg[] = [];
  for (const ch of pattern) {
    if (ch === 'c' || ch === 'a') {
      const len = ch === 'c' ? 100 : 0;
      out.push({ src: C, dst: host, sport: cport, dport: 22, seq: seq.c, len });
      seq.c += len;
    } else {
      const len = ch === 's' ? 200 : 0;
      out.push({ src: host, dst: C, sport: 22, dport: cport, seq: seq.s, len });
      seq.s += len;
    }
  }
  return out;
}

describe('round trips from a capture', () => {
  it('a turn is client data answered by server data; pure ACKs and the server speaking first do not count', () => {
    // s (banner first) · cc→s (1) · c a A s s (2) · c s (3)
    const file = pcap(conversation(H1, 40000, 'scc' + 's' + 'caAss' + 'cs'));
    expect(countTurns(file, new Set([H1]))).toEqual(new Map([[H1, { turns: 3, streams: 1 }]]));
  });

  it('retransmitted data is ignored, also across the sequence number wrap', () => {
    const segs = conversation(H1, 40001, 'cs', 0xffffffc0);
    // the client's 100 bytes sent again (same seq) after the answer: not a new turn
    segs.push({ ...segs[0]! }, { ...segs[1]!, seq: segs[1]!.seq });
    segs.push({ src: C, dst: H1, sport: 40001, dport: 22, seq: (0xffffffc0 + 100) >>> 0, len: 10 }, { src: H1, dst: C, sport: 22, dport: 40001, seq: 5200, len: 10 });
    expect(countTurns(pcap(segs), new Set([H1])).get(H1)).toEqual({ turns: 2, streams: 1 });
  });

  it('turns are summed over a host\'s streams and kept apart per host; other traffic and unknown hosts are ignored', () => {
    const segs = [
      ...conversation(H1, 40002, 'cscs'),
      ...conversation(H2, 40003, 'cs'),
      ...conversation(H1, 40004, 'cs'),
      { src: C, dst: '198.18.0.99', sport: 40005, dport: 22, seq: 1, len: 50 },
      { src: '198.18.0.99', dst: C, sport: 22, dport: 40005, seq: 1, len: 50 },
      { src: C, dst: H1, sport: 40006, dport: 8080, seq: 1, len: 50 },
      { src: H1, dst: C, sport: 8080, dport: 40006, seq: 1, len: 50 },
    ];
    // interleave the streams: the order across streams must not matter
    const mixed = [segs[0]!, segs[4]!, segs[1]!, segs[6]!, segs[5]!, segs[2]!, segs[7]!, segs[3]!, ...segs.slice(8)];
    const turns = countTurns(pcap(mixed), new Set([H1, H2, '198.18.0.12']));
    expect(turns.get(H1)).toEqual({ turns: 3, streams: 2 });
    expect(turns.get(H2)).toEqual({ turns: 1, streams: 1 });
    expect(turns.get('198.18.0.12')).toEqual({ turns: 0, streams: 0 });
    expect(turns.has('198.18.0.99')).toBe(false);
  });

  it('reads big-endian files and rejects what is not a pcap', () => {
    const be = pcap(conversation(H1, 40007, 'cs'), { bigEndian: true });
    expect(countTurns(be, new Set([H1])).get(H1)).toEqual({ turns: 1, streams: 1 });
    expect(() => countTurns(Buffer.from('not a capture at all, sorry'), new Set([H1]))).toThrow(/not a pcap/);
    expect(countTurns(Buffer.alloc(0), new Set([H1])).get(H1)).toEqual({ turns: 0, streams: 0 });
  });
});
