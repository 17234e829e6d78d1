// Round trips per host, measured on the wire whatever tool ran: a packet capture (pcap) of the SSH
// streams, read here. A round trip ("turn") is a burst of client→server payload answered by
// server→client payload: every time the server sends data after the client last did, one turn ends.
// Bytes are what count, not segments: pure ACKs and retransmitted data are ignored.

export interface HostTurns {
  /** Turns summed over every SSH stream to the host. */
  turns: number;
  /** TCP streams (connections) to the host's SSH port seen in the capture. */
  streams: number;
}

interface Segment {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  payload: number;
}

const LINK_ETHERNET = 1;
const LINK_LINUX_SLL = 113;

/** The TCP/IPv4 segments of a pcap file (Ethernet or Linux cooked capture), in capture order. */
export function* tcpSegments(pcap: Buffer): Generator<Segment> {
  if (pcap.length < 24) return;
  const magic = pcap.readUInt32LE(0);
  let le: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) le = true;
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) le = false;
  else throw new Error('not a pcap file (bad magic number)');
  const u32 = (o: number) => (le ? pcap.readUInt32LE(o) : pcap.readUInt32BE(o));
  const link = u32(20);
  if (link !== LINK_ETHERNET && link !== LINK_LINUX_SLL) throw new Error(`pcap link type ${link} is not Ethernet or Linux cooked`);
  let off = 24;
  while (off + 16 <= pcap.length) {
    const incl = u32(off + 8);
    const rec = off + 16;
    off = rec + incl;
    if (off > pcap.length) break; // a record cut short by the capture's end
    let p = rec;
    let type: number;
    if (link === LINK_ETHERNET) {
      type = pcap.readUInt16BE(p + 12);
      p += 14;
      if (type === 0x8100 && p + 4 <= off) {
        type = pcap.readUInt16BE(p + 2);
        p += 4;
      }
    } else {
      type = pcap.readUInt16BE(p + 14);
      p += 16;
    }
    if (type !== 0x0800 || p + 20 > off) continue;
    const ihl = (pcap[p]! & 0x0f) * 4;
    if (pcap[p + 9] !== 6 || p + ihl + 20 > off) continue;
    const total = pcap.readUInt16BE(p + 2);
    const src = `${pcap[p + 12]}.${pcap[p + 13]}.${pcap[p + 14]}.${pcap[p + 15]}`;
    const dst = `${pcap[p + 16]}.${pcap[p + 17]}.${pcap[p + 18]}.${pcap[p + 19]}`;
    const t = p + ihl;
    const tcpHeader = (pcap[t + 12]! >> 4) * 4;
    // Lengths come from the IP header: the capture keeps headers only (a short snap length).
    yield { src, dst, sport: pcap.readUInt16BE(t), dport: pcap.readUInt16BE(t + 2), seq: pcap.readUInt32BE(t + 4), payload: Math.max(0, total - ihl - tcpHeader) };
  }
}

/** Turns per server address (streams whose server side is `addr:port`, for every addr in `servers`). */
export function countTurns(pcap: Buffer, servers: ReadonlySet<string>, port = 22): Map<string, HostTurns> {
  const out = new Map<string, HostTurns>();
  const streams = new Map<string, { last: 'c' | 's' | undefined; end: { c?: number; s?: number } }>();
  for (const seg of tcpSegments(pcap)) {
    const fromServer = seg.sport === port && servers.has(seg.src);
    const toServer = seg.dport === port && servers.has(seg.dst);
    if (!fromServer && !toServer) continue;
    const server = fromServer ? seg.src : seg.dst;
    const key = fromServer ? `${seg.dst}:${seg.dport}>${server}` : `${seg.src}:${seg.sport}>${server}`;
    let st = streams.get(key);
    if (!st) {
      st = { last: undefined, end: {} };
      streams.set(key, st);
      const h = out.get(server) ?? { turns: 0, streams: 0 };
      h.streams++;
      out.set(server, h);
    }
    if (seg.payload === 0) continue;
    const dir = fromServer ? 's' : 'c';
    const end = (seg.seq + seg.payload) >>> 0;
    const seen = st.end[dir];
    // Not beyond what this side already sent (modulo 2^32): a retransmission.
    if (seen !== undefined && ((end - seen) | 0) <= 0) continue;
    st.end[dir] = end;
    if (dir === 's' && st.last === 'c') out.get(server)!.turns++;
    st.last = dir;
  }
  for (const s of servers) if (!out.has(s)) out.set(s, { turns: 0, streams: 0 });
  return out;
}
