// Faults a test can put on a lab Linux host from the outside, the way a network or a machine fails:
// the host's link going down, a slow (rate-limited) link, and a TCP listener on port 22 that never
// speaks SSH. Also what a leak check needs: the SSH sessions still open on the hosts.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { hostPaths, type LabHost, pidsInNetns } from '@fleetplay/lab';
import type { E2eLab } from './lab.js';
import { waitUntil } from './wait-until.js';

const run = promisify(execFile);

function labHost(lab: E2eLab, name: string): LabHost {
  const h = lab.info.hosts.find((x) => x.name === name);
  if (!h) throw new Error(`no lab host ${name}`);
  return h;
}

/** The host's own side of its link goes down (or up): to the controller it falls silent. */
export async function setLink(lab: E2eLab, host: string, state: 'up' | 'down'): Promise<void> {
  await run('ip', ['-n', labHost(lab, host).netns, 'link', 'set', 'eth0', state]);
}

/**
 * Rate-limits the host's link both ways (tbf: this kernel has no netem for delays). Queues are deep
 * enough that nothing is dropped, so the host is slow, not lossy.
 */
export async function throttle(lab: E2eLab, host: string, rate: string): Promise<void> {
  const h = labHost(lab, host);
  const tbf = ['root', 'tbf', 'rate', rate, 'burst', '4kb', 'latency', '10s'];
  await run('tc', ['qdisc', 'replace', 'dev', h.veths[0]!, ...tbf]).catch(missingTc);
  await run('ip', ['netns', 'exec', h.netns, 'tc', 'qdisc', 'replace', 'dev', 'eth0', ...tbf]).catch(missingTc);
}

export async function unthrottle(lab: E2eLab, host: string): Promise<void> {
  const h = labHost(lab, host);
  await run('tc', ['qdisc', 'del', 'dev', h.veths[0]!, 'root']).catch(() => undefined);
  await run('ip', ['netns', 'exec', h.netns, 'tc', 'qdisc', 'del', 'dev', 'eth0', 'root']).catch(() => undefined);
}

function missingTc(e: Error & { code?: string }): never {
  if (e.code === 'ENOENT') throw new Error('the slow-host fault needs tc: apt-get install -y iproute2');
  throw e;
}

export interface FakeSsh {
  /** TCP connections it accepted so far. */
  connections(): number;
  stop(): Promise<void>;
}

/**
 * A TCP server on the host's port 22 (in its network namespace) that accepts connections, answers
 * with something that is not an SSH identification, and then says nothing. The host's sshd must be
 * stopped first (lab.stop).
 */
export async function startFakeSsh(lab: E2eLab, host: string): Promise<FakeSsh> {
  const script = [
    "const net = require('net');",
    'const held = [];',
    "net.createServer((s) => { held.push(s); s.on('error', () => {}); s.write('HTTP/1.1 400 Bad Request\\r\\n\\r\\n'); console.log('accepted'); })",
    "  .listen(22, '0.0.0.0', () => console.log('listening'));",
  ].join('\n');
  const child: ChildProcess = spawn('ip', ['netns', 'exec', labHost(lab, host).netns, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await waitUntil(() => out.includes('listening') || child.exitCode !== null, 10_000, 'the fake SSH listener to start');
  if (!out.includes('listening')) throw new Error(`the fake SSH listener did not start: ${err}`);
  return {
    connections: () => out.split('\n').filter((l) => l === 'accepted').length,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Open SSH sessions (sshd processes other than the listener) on each host. */
export async function sshSessions(lab: E2eLab, hosts: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const name of hosts) {
    const pids = await pidsInNetns([labHost(lab, name).netns]);
    const args = await Promise.all(pids.map((p) => readFile(`/proc/${p}/cmdline`, 'utf8').then((c) => c.replace(/\0/g, ' ').trim(), () => '')));
    out[name] = args.filter((a) => a.startsWith('sshd:') && !a.includes('[listener]'));
  }
  return out;
}

/** Waits (bounded) until no host has an SSH session left; returns what is left at the deadline. */
export async function sessionsLeftAfter(lab: E2eLab, hosts: readonly string[], timeoutMs: number): Promise<Record<string, string[]>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await sshSessions(lab, hosts);
    const left = Object.fromEntries(Object.entries(s).filter(([, v]) => v.length > 0));
    if (Object.keys(left).length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Resolves once the host's /tmp has `name` (read on the controller: no SSH round trips). */
export async function hostTmpFile(lab: E2eLab, host: string, name: string, timeoutMs: number): Promise<void> {
  const file = join(hostPaths(labHost(lab, host).stateDir).tmp, name);
  await waitUntil(() => access(file).then(() => true, () => false), timeoutMs, `${host}: /tmp/${name}`);
}


/**
 * The lab's inventory with tight keepalives (ServerAliveInterval/CountMax, as OpenSSH users set
 * them): a silent host is declared unreachable within about interval × (count + 1).
 */
export async function inventoryWithKeepalive(lab: E2eLab, name: string, intervalS: number, countMax: number): Promise<string> {
  const inv = parse(await readFile(lab.inventory, 'utf8')) as { all: { vars: Record<string, unknown> } };
  inv.all.vars.ansible_ssh_common_args = `${String(inv.all.vars.ansible_ssh_common_args)} -o ServerAliveInterval=${intervalS} -o ServerAliveCountMax=${countMax}`;
  return lab.write(name, stringify(inv));
}
