// Windows hosts in the lab: a WS-Management server per host in its own network namespace, reached
// with the inventory's variables by an independent client (Debian's python3-winrm) over HTTPS,
// validated with the lab CA.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labStartHosts, labStatus, labStopHosts, labUp, type LabInfo } from '../src/index.js';

const run = promisify(execFile);
let parent: string;
let lab: LabInfo | undefined;
let opensslConf: string;

const PYWINRM = [
  'import sys, winrm',
  'url, user, pw, ca = sys.argv[1:5]',
  "s = winrm.Session(url, auth=(user, pw), transport='ntlm', server_cert_validation='validate', ca_trust_path=ca)",
  "r = s.run_ps('$env:COMPUTERNAME')",
  "print(r.status_code, r.std_out.decode().strip())",
].join('\n');

async function pywinrm(vars: Record<string, string | number>, address: string): Promise<string> {
  const url = `${vars.ansible_winrm_scheme}://${address}:${vars.ansible_port}/wsman`;
  const { stdout } = await run('/usr/bin/python3', ['-c', PYWINRM, url, String(vars.ansible_user), String(vars.ansible_password), String(vars.ansible_winrm_ca_trust_path)], {
    // pywinrm's NTLM needs MD4: OpenSSL 3 has it only in the legacy provider.
    env: { ...process.env, OPENSSL_CONF: opensslConf },
  });
  return stdout.trim();
}

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'fleetplay-lab-win-'));
  opensslConf = join(parent, 'openssl-legacy.cnf');
  await writeFile(opensslConf, ['openssl_conf = init', '[init]', 'providers = prov', '[prov]', 'default = def', 'legacy = leg', '[def]', 'activate = 1', '[leg]', 'activate = 1', ''].join('\n'));
  lab = await labUp({ dir: join(parent, 'lab'), linux: 1, windows: 1 });
});

afterAll(async () => {
  if (lab) await labDown(lab.dir).catch(() => undefined);
  await rm(parent, { recursive: true, force: true });
});

describe('Windows lab hosts', () => {
  it('answer WinRM over HTTPS with the inventory variables, certificate checked against the lab CA', async () => {
    const inv = parse(await readFile(lab!.files.inventoryYaml, 'utf8')) as { all: { children: Record<string, { vars?: Record<string, string | number>; hosts: Record<string, { ansible_host: string }> }> } };
    const win = inv.all.children.windows!;
    expect(win.vars).toMatchObject({ ansible_connection: 'winrm', ansible_user: 'Administrator', ansible_port: 5986, ansible_winrm_transport: 'ntlm' });
    expect(Object.keys(win.hosts)).toEqual(['win-01']);
    expect(await pywinrm(win.vars!, win.hosts['win-01']!.ansible_host)).toBe('0 WIN-01');
  });

  it('are the hyperv group of the inventory, whose gpu_vms are VMs the host has', async () => {
    const inv = parse(await readFile(lab!.files.inventoryYaml, 'utf8')) as { all: { children: Record<string, { vars?: Record<string, unknown>; hosts: Record<string, unknown> }> } };
    expect(Object.keys(inv.all.children.hyperv!.hosts)).toEqual(['win-01']);
    expect(Object.keys(inv.all.children.hpc!.hosts)).toEqual(['linux-01']);
    const vms = inv.all.children.hyperv!.vars!.gpu_vms as string[];
    expect(vms.length).toBeGreaterThan(0);
    // The configuration the host's server models its Hyper-V from.
    const host = lab!.hosts.find((h) => h.name === 'win-01')!;
    const config = JSON.parse(await readFile(join(host.stateDir, 'config.json'), 'utf8')) as { hyperv: { vms: Array<{ name: string }> } };
    expect(config.hyperv.vms.map((v) => v.name)).toEqual(expect.arrayContaining(vms));
  });

  it('show in status, stop and start like Linux hosts', async () => {
    const before = await labStatus(lab!.dir);
    expect(before.hosts.map((h) => [h.name, h.kind, h.up])).toEqual([
      ['linux-01', 'linux', true],
      ['win-01', 'windows', true],
    ]);
    await labStopHosts(lab!.dir, ['win-01']);
    expect((await labStatus(lab!.dir)).hosts[1]).toMatchObject({ running: false, up: false, sshd: 'silent' });
    await labStartHosts(lab!.dir, ['win-01']);
    expect((await labStatus(lab!.dir)).hosts[1]).toMatchObject({ running: true, up: true });
  });

  it('go away with lab down', async () => {
    const info = lab!;
    await labDown(info.dir);
    lab = undefined;
    const procs = (await run('ps', ['-eo', 'args'])).stdout;
    expect(procs).not.toContain(info.labFs);
    expect((await run('ip', ['netns', 'list'])).stdout).not.toContain(`fleetlab${info.slot}-`);
  });
});
