// The lab side of the differential suite: a case under lab-cases/ runs with ansible-playbook and with
// fleetplay over SSH on the same lab hosts, each side starting from freshly reset hosts, and is reduced
// to what the local suite compares plus the files read back from the hosts (`host_files`).
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { distroFamily, labResetHosts, type LabHost, type LabInfo } from '@fleetplay/lab';
import { ASPECTS, loadCases, outcomeOf, runTool, type CaseSpec, type Outcome, type Side } from './runner.js';

const exec = promisify(execFile);

export const LAB_CASES_DIR = new URL('./lab-cases/', import.meta.url).pathname;
export const LAB_ASPECTS = [...ASPECTS, 'host_files'] as const;
export type LabAspect = (typeof LAB_ASPECTS)[number];
export const LAB_OS = ['ubuntu', 'rhel'] as const;
export type LabOs = (typeof LAB_OS)[number];

export interface LabCase extends CaseSpec {
  /** How many lab hosts the case runs on (inventory names host1, host2 in group `lab`), and their family. */
  lab: { hosts: number; os: LabOs };
  /** Absolute paths read from every host afterwards: existence, content, mode, owner and group. */
  hostFiles: string[];
}

export interface HostFile {
  type: string;
  mode: string;
  owner: string;
  group: string;
  content: string;
}

export interface LabOutcome extends Outcome {
  host_files: Record<string, Record<string, HostFile | null>>;
}

/** Every case under lab-cases/; a case.yml without a valid `lab:` is an error naming the case. */
export async function loadLabCases(): Promise<LabCase[]> {
  const cases = await loadCases(LAB_CASES_DIR, ['lab', 'host_files']);
  return cases.map((c) => {
    const lab = (c.spec.lab ?? {}) as { hosts?: unknown; os?: unknown };
    const hosts = lab.hosts ?? 1;
    if (hosts !== 1 && hosts !== 2) throw new Error(`lab-cases/${c.name}/case.yml: lab.hosts must be 1 or 2 (got ${String(hosts)})`);
    if (!LAB_OS.includes(lab.os as LabOs)) throw new Error(`lab-cases/${c.name}/case.yml: lab.os must be one of ${LAB_OS.join(', ')} (got ${String(lab.os)})`);
    const hostFiles = ((c.spec.host_files as unknown[]) ?? []).map(String);
    for (const p of hostFiles) if (!p.startsWith('/')) throw new Error(`lab-cases/${c.name}/case.yml: host_files paths are absolute (got ${p})`);
    return { ...c, name: `lab/${c.name}`, lab: { hosts, os: lab.os as LabOs }, hostFiles };
  });
}

/** The hosts of one lab handed out to cases: a case waits until enough hosts of its family are free. */
export class HostPool {
  private readonly free: LabHost[];
  private readonly waiting: (() => void)[] = [];

  constructor(readonly info: LabInfo) {
    this.free = info.hosts.filter((h) => h.kind === 'linux' && h.role === 'host');
  }

  /** How many hosts of each family the lab has. */
  count(os: LabOs): number {
    return this.info.hosts.filter((h) => h.kind === 'linux' && h.distro && distroFamily(h.distro) === os).length;
  }

  async take(os: LabOs, n: number): Promise<LabHost[]> {
    if (this.count(os) < n) throw new Error(`compat-lab: the lab has ${this.count(os)} ${os} host(s), a case needs ${n}`);
    for (;;) {
      const fit = this.free.filter((h) => h.distro && distroFamily(h.distro) === os).slice(0, n);
      if (fit.length === n) {
        for (const h of fit) this.free.splice(this.free.indexOf(h), 1);
        return fit;
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  give(hosts: readonly LabHost[]): void {
    this.free.push(...hosts);
    for (const w of this.waiting.splice(0)) w();
  }
}

/** The inventory both tools get: host1..N in group `lab`, logging in as the lab's sudo user with its key. */
export function labInventory(info: LabInfo, hosts: readonly LabHost[]): string {
  return [
    '[lab]',
    ...hosts.map((h, i) => `host${i + 1} ansible_host=${h.address}`),
    '',
    '[lab:vars]',
    `ansible_user=${info.users.login}`,
    `ansible_ssh_private_key_file=${info.files.clientKey}`,
    `ansible_ssh_common_args='-F ${info.files.sshConfig}'`,
    'ansible_python_interpreter=/usr/bin/python3',
    '',
  ].join('\n');
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Reads `paths` on `host` over the stock OpenSSH client (independent of both tools), with sudo. */
export async function readHostFiles(info: LabInfo, host: LabHost, paths: readonly string[]): Promise<Record<string, HostFile | null>> {
  if (paths.length === 0) return {};
  // One line per path: type, mode, owner, group, then the content in base64 (any bytes survive).
  const script = paths
    .map((p) => `if sudo test -e ${quote(p)}; then printf '%s ' "$(sudo stat -c '%F|%a|%U|%G' ${quote(p)} | tr ' ' _)"; if sudo test -f ${quote(p)}; then sudo base64 -w0 ${quote(p)}; fi; echo; else echo absent; fi`)
    .join('; ');
  const { stdout } = await exec('ssh', ['-F', info.files.sshConfig, '-o', 'BatchMode=yes', host.address, script], { maxBuffer: 16 * 1024 * 1024 });
  const lines = stdout.split('\n');
  return Object.fromEntries(
    paths.map((p, i) => {
      const line = lines[i] ?? 'absent';
      if (line === 'absent') return [p, null];
      const [meta = '', b64 = ''] = line.split(' ');
      const [type = '', mode = '', owner = '', group = ''] = meta.split('|');
      return [p, { type, mode: mode.padStart(4, '0'), owner, group, content: Buffer.from(b64, 'base64').toString('utf8') }];
    }),
  );
}

/** One side of a lab case on `hosts`, reset to their fresh state first. */
export async function runLabSide(c: LabCase, side: Side, info: LabInfo, hosts: readonly LabHost[]): Promise<LabOutcome> {
  await labResetHosts(info.dir, hosts.map((h) => h.name));
  const dir = await mkdtemp(join(tmpdir(), `compat-lab-${side}-`));
  try {
    await cp(c.dir, dir, { recursive: true });
    await rm(join(dir, 'case.yml'), { force: true });
    await writeFile(join(dir, 'inventory'), labInventory(info, hosts));
    // Pipelining: Ansible's way to become an unprivileged user without setfacl on the host (it needs
    // world-readable temp files otherwise); it changes how modules are sent, not what they do.
    const r = await runTool(side, ['-i', 'inventory', ...c.args, 'site.yml'], dir, side === 'ansible' ? { ANSIBLE_PIPELINING: '1' } : {});
    const hostFiles: LabOutcome['host_files'] = {};
    for (const [i, h] of hosts.entries()) hostFiles[`host${i + 1}`] = await readHostFiles(info, h, c.hostFiles);
    return { ...outcomeOf(r), files: {}, host_files: hostFiles };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Both sides of a case, one after the other on the same hosts (each from a fresh reset). */
export async function runLabCase(c: LabCase, pool: HostPool): Promise<{ ansible: LabOutcome; fleetplay: LabOutcome; diff: LabAspect[] }> {
  const hosts = await pool.take(c.lab.os, c.lab.hosts);
  try {
    const ansible = await runLabSide(c, 'ansible', pool.info, hosts);
    const fleetplay = await runLabSide(c, 'fleetplay', pool.info, hosts);
    return { ansible, fleetplay, diff: labDifferences(ansible, fleetplay) };
  } finally {
    pool.give(hosts);
  }
}

export function labDifferences(a: LabOutcome, b: LabOutcome): LabAspect[] {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  return LAB_ASPECTS.filter((k) => !same(a[k], b[k]));
}

export function describeLabBoth(c: LabCase, a: LabOutcome, f: LabOutcome, diff: readonly LabAspect[]): string {
  const show = (o: LabOutcome) =>
    JSON.stringify({ exit: o.exit, recap: o.recap, debug: o.debug, host_files: o.host_files }, null, 2) + '\n--- output ---\n' + o.output;
  return `${c.name}: differs in ${diff.join(', ')}\n=== ansible-playbook ===\n${show(a)}\n=== fleetplay ===\n${show(f)}`;
}
