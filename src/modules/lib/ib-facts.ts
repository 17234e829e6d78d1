// InfiniBand facts of a Linux host, read in one remote command: every port under
// /sys/class/infiniband (state, physical state, rate, link layer), the IPoIB interfaces from
// `ip -j addr`, the Azure agent's version (`waagent --version`) and configuration, and `ofed_info -s`.
// The parser is pure and tested on recorded outputs.
import { splitSections } from './os-facts.js';

/** Prints `@@name` sections; a missing tool leaves its section empty (never fails the command). */
export const IB_FACTS_COMMAND = [
  'echo @@ports',
  'for p in /sys/class/infiniband/*/ports/*; do [ -d "$p" ] || continue; d=${p%/ports/*}; echo "port ${d##*/} ${p##*/}";',
  '  for f in state phys_state rate link_layer; do printf "%s=%s\\n" "$f" "$(cat "$p/$f" 2>/dev/null)"; done; done',
  'echo @@ip',
  'ip -j addr show 2>/dev/null',
  'echo @@agent',
  // The agent lives in /usr/sbin, which is not on an ordinary user's PATH.
  'PATH="$PATH:/usr/sbin:/sbin" waagent --version 2>/dev/null',
  'echo @@agent_conf',
  'cat /etc/waagent.conf 2>/dev/null',
  'echo @@ofed',
  'ofed_info -s 2>/dev/null',
  'echo @@end',
].join('\n');

export interface IbPort {
  device: string;
  port: number;
  /** ACTIVE, DOWN, INIT, ARMED (sysfs `4: ACTIVE` → ACTIVE). */
  state: string;
  /** LinkUp, Polling, Disabled, … (sysfs `5: LinkUp` → LinkUp). */
  physState: string;
  rateGbps?: number;
  linkLayer: string;
}

export interface IpoibInterface {
  name: string;
  operstate: string;
  ipv4: string[];
}

export interface IbFacts {
  ports: IbPort[];
  ipoib: IpoibInterface[];
  /** The agent daemon's version (`WALinuxAgent-2.2.49.2 running on …`), which sets RDMA up at its start. */
  agentVersion?: string;
  /** The auto-updated extension handler (`Goal state agent: 2.7.0.6`). */
  goalStateAgentVersion?: string;
  agentConf?: string;
  ofedVersion?: string;
}

const afterColon = (v: string) => v.replace(/^\d+:\s*/, '').trim();

function parsePorts(text: string): IbPort[] {
  const ports: IbPort[] = [];
  let cur: IbPort | undefined;
  for (const line of text.split('\n')) {
    const head = /^port (\S+) (\d+)$/.exec(line);
    if (head) {
      cur = { device: head[1]!, port: Number(head[2]), state: '', physState: '', linkLayer: '' };
      ports.push(cur);
      continue;
    }
    const kv = /^(\w+)=(.*)$/.exec(line);
    if (!cur || !kv) continue;
    const value = kv[2]!.trim();
    if (kv[1] === 'state') cur.state = afterColon(value);
    else if (kv[1] === 'phys_state') cur.physState = afterColon(value);
    else if (kv[1] === 'link_layer') cur.linkLayer = value;
    else if (kv[1] === 'rate') {
      const m = /^([\d.]+)\s*Gb\/sec/.exec(value);
      if (m) cur.rateGbps = Number(m[1]);
    }
  }
  return ports;
}

function parseIp(text: string): IpoibInterface[] {
  if (!text.trim()) return [];
  let links: Array<{ ifname?: string; link_type?: string; operstate?: string; addr_info?: Array<{ family?: string; local?: string }> }>;
  try {
    links = JSON.parse(text);
  } catch {
    return [];
  }
  return links
    .filter((l) => l.link_type === 'infiniband' || /^ib\d/.test(l.ifname ?? ''))
    .map((l) => ({ name: l.ifname ?? '', operstate: l.operstate ?? 'UNKNOWN', ipv4: (l.addr_info ?? []).filter((a) => a.family === 'inet' && a.local).map((a) => a.local!) }));
}

export function parseIbFacts(stdout: string): IbFacts {
  const s = splitSections(stdout);
  const agent = s.get('agent') ?? '';
  const facts: IbFacts = { ports: parsePorts(s.get('ports') ?? ''), ipoib: parseIp(s.get('ip') ?? '') };
  const daemon = /WALinuxAgent-([\d.]+)/.exec(agent)?.[1];
  const goal = /Goal state agent:\s*([\d.]+)/.exec(agent)?.[1];
  if (daemon) facts.agentVersion = daemon;
  if (goal) facts.goalStateAgentVersion = goal;
  if (s.get('agent_conf')) facts.agentConf = s.get('agent_conf');
  const ofed = (s.get('ofed') ?? '').split('\n')[0]!.trim().replace(/:$/, '');
  if (ofed) facts.ofedVersion = ofed;
  return facts;
}
