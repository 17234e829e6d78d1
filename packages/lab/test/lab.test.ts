// The lab end to end: hosts come up looking like Azure HPC VMs, reachable with the stock OpenSSH
// client through the files `up` writes, isolated from each other and from the machine, and `down`
// leaves nothing behind. Every check on a host goes through OpenSSH (`ssh -F DIR/ssh_config`), an
// independent client, so the written ssh_config/known_hosts/key are exercised too.
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labResetHosts, labStatus, labUp, type LabInfo } from '../src/index.js';
import { LAB_MOFED_VERSIONS } from '../src/mofed/mirror.js';
import { labLeftovers as leftovers } from '../../../test/support/lab.js';

const run = promisify(execFile);
let parent: string;
let lab: LabInfo;

async function ssh(host: string, command: string, user?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const target = user ? `${user}@${host}` : host;
  try {
    const r = await run('ssh', ['-F', lab.files.sshConfig, '-o', 'BatchMode=yes', target, command]);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'fleetplay-lab-test-'));
  lab = await labUp({ dir: join(parent, 'lab'), linux: 3, distros: ['ubuntu22.04', 'rhel8.6', 'sles15sp4'], bastion: true, isolated: 1 });
});

afterAll(async () => {
  if (lab) await labDown(lab.dir).catch(() => undefined);
  await rm(parent, { recursive: true, force: true });
});

describe('lab up', () => {
  it('plans hosts on the lab subnet inside 198.18.0.0/15', () => {
    expect(lab.hosts.map((h) => [h.name, h.distro, h.segment])).toEqual([
      ['bastion', 'ubuntu22.04', 'main'],
      ['linux-01', 'ubuntu22.04', 'main'],
      ['linux-02', 'rhel8.6', 'main'],
      ['linux-03', 'sles15sp4', 'main'],
      ['iso-01', 'ubuntu22.04', 'isolated'],
    ]);
    for (const h of lab.hosts) expect(h.address).toMatch(/^198\.1[89]\./);
    expect(new Set(lab.hosts.map((h) => h.address)).size).toBe(lab.hosts.length);
  });

  it('gives each host the distro release files, the stock waagent.conf and its own hostname', async () => {
    const u = await ssh('linux-01', '. /etc/os-release; echo "$ID $VERSION_ID"; hostname; grep -c "^# OS.EnableRDMA=y$" /etc/waagent.conf; grep -c "^# OS.UpdateRdmaDriver=y$" /etc/waagent.conf');
    expect(u.stdout).toBe('ubuntu 22.04\nlinux-01\n1\n1\n');
    const r = await ssh('linux-02', '. /etc/os-release; echo "$ID $VERSION_ID"; cat /etc/redhat-release; test -e /etc/debian_version || echo no-debian_version; grep -c OS.UpdateRdmaDriver /etc/waagent.conf');
    expect(r.stdout).toBe('rhel 8.6\nRed Hat Enterprise Linux release 8.6 (Ootpa)\nno-debian_version\n0\n');
    const s = await ssh('linux-03', '. /etc/os-release; echo "$ID $VERSION_ID"; grep "^# OS.EnableRDMA" /etc/waagent.conf');
    expect(s.stdout).toBe('sles 15.4\n# OS.EnableRDMA=y\n');
  });

  it('is a plain HPC VM: no OFED, an empty /opt, Debian dotfiles in /root, a writable /var/lib/fleethost', async () => {
    const r = await ssh('linux-01', 'command -v ofed_info || echo no-ofed; ls -A /opt | wc -l; sudo ls -A /root; touch /var/lib/fleethost/probe && echo writable');
    expect(r.stdout).toBe('no-ofed\n0\n.bashrc\n.profile\n.ssh\nwritable\n');
  });

  it('records systemctl calls and answers like systemd, refusing unknown units and non-root changes', async () => {
    const r = await ssh(
      'linux-01',
      'sudo systemctl restart walinuxagent.service; systemctl is-active walinuxagent; sudo systemctl stop walinuxagent; systemctl is-active walinuxagent; echo rc=$?; sudo systemctl daemon-reload; cat /var/log/fleetlab/systemctl.log',
    );
    expect(r.stdout).toBe('active\ninactive\nrc=3\nrestart walinuxagent\nis-active walinuxagent\nstop walinuxagent\nis-active walinuxagent\ndaemon-reload\n');
    const wrongUnit = await ssh('linux-01', 'sudo systemctl restart waagent');
    expect(wrongUnit.code).toBe(5);
    expect(wrongUnit.stderr).toContain('Unit waagent.service not found.');
    const rhel = await ssh('linux-02', 'systemctl restart waagent');
    expect(rhel.code).toBe(1);
    expect(rhel.stderr).toContain('Interactive authentication required');
    expect((await ssh('linux-02', 'sudo systemctl restart waagent && systemctl is-active waagent')).stdout).toBe('active\n');
  });

  it('keeps every host private: /etc edits by rename, files under /usr, nothing leaks to other hosts or the machine', async () => {
    const edit = await ssh('linux-01', "sudo sed -i 's/^# OS.EnableRDMA=y/OS.EnableRDMA=y/' /etc/waagent.conf && grep ^OS.EnableRDMA /etc/waagent.conf && sudo sh -c 'echo probe > /usr/bin/fleetlab-probe' && cat /usr/bin/fleetlab-probe");
    expect(edit.stdout).toBe('OS.EnableRDMA=y\nprobe\n');
    const other = await ssh('linux-03', 'grep -c "^# OS.EnableRDMA=y" /etc/waagent.conf; test -e /usr/bin/fleetlab-probe || echo absent');
    expect(other.stdout).toBe('1\nabsent\n');
    await expect(access('/usr/bin/fleetlab-probe')).rejects.toThrow();
    await expect(access('/etc/waagent.conf')).rejects.toThrow();
  });

  it('lets the password user sudo only with the lab password', async () => {
    const r = await ssh('linux-01', `echo '${lab.users.password}' | sudo -S -p '' id -un`, lab.users.passwordSudo);
    expect(r.stdout).toBe('root\n');
    const n = await ssh('linux-01', 'sudo -n true', lab.users.passwordSudo);
    expect(n.code).not.toBe(0);
  });

  it('reaches the isolated segment only through the bastion', async () => {
    expect((await ssh('iso-01', 'hostname')).stdout).toBe('iso-01\n');
    const status = await labStatus(lab.dir);
    expect(status.supervisorRunning).toBe(true);
    expect(status.hosts.map((h) => [h.name, h.running, h.sshd])).toEqual([
      ['bastion', true, 'answering'],
      ['linux-01', true, 'answering'],
      ['linux-02', true, 'answering'],
      ['linux-03', true, 'answering'],
      ['iso-01', true, 'behind-bastion'],
    ]);
  });

  it('writes inventories with the linux, fleet, per-distro, bastion and isolated groups, and hpc for the shipped playbook', async () => {
    const inv = parse(await readFile(lab.files.inventoryYaml, 'utf8')) as { all: { vars: Record<string, unknown>; children: Record<string, { hosts: Record<string, unknown> }> } };
    const groups = Object.fromEntries(Object.entries(inv.all.children).map(([g, v]) => [g, Object.keys(v.hosts)]));
    expect(groups).toEqual({
      bastion: ['bastion'],
      linux: ['linux-01', 'linux-02', 'linux-03', 'iso-01'],
      fleet: ['linux-01', 'linux-02', 'linux-03', 'iso-01'],
      ubuntu: ['linux-01', 'iso-01'],
      ubuntu22_04: ['linux-01', 'iso-01'],
      rhel: ['linux-02'],
      rhel8_6: ['linux-02'],
      sles: ['linux-03'],
      sles15sp4: ['linux-03'],
      isolated: ['iso-01'],
      // infiniband.yml's default target: the hosts that reach the MOFED mirror (not the isolated segment).
      hpc: ['linux-01', 'linux-02', 'linux-03'],
    });
    expect(inv.all.vars).toMatchObject({ ansible_user: 'fleet', ansible_ssh_private_key_file: lab.files.clientKey });
    expect(inv.all.children.linux!.hosts['iso-01']).toMatchObject({ ansible_ssh_common_args: expect.stringContaining(`ProxyJump=fleet@${lab.hosts[0]!.address}`) });
    const ini = await readFile(lab.files.inventoryIni, 'utf8');
    expect(ini).toContain(`[linux]\nlinux-01 ansible_host=${lab.hosts[1]!.address}\n`);
    expect(ini).toMatch(/\n\[fleet\]\nlinux-01\nlinux-02\nlinux-03\niso-01\n/);
    expect(ini).toMatch(/\n\[hpc\]\nlinux-01\nlinux-02\nlinux-03\n/);
  });

  it('pins the MOFED mirror with a checksum for every version and distro it serves', async () => {
    const inv = parse(await readFile(lab.files.inventoryYaml, 'utf8')) as { all: { vars: Record<string, unknown> } };
    expect(inv.all.vars).toMatchObject({ mofed_base_url: lab.mofed!.baseUrl, mofed_version: '5.8-3.0.7.0' });
    const sums = inv.all.vars.mofed_sha256 as Record<string, Record<string, string>>;
    expect(Object.keys(sums).sort()).toEqual([...LAB_MOFED_VERSIONS].sort());
    const urls: string[] = [];
    const expected: string[] = [];
    for (const version of LAB_MOFED_VERSIONS) {
      expect(Object.keys(sums[version]!).sort()).toEqual(['rhel8.6', 'sles15sp4', 'ubuntu22.04']);
      for (const [distro, hex] of Object.entries(sums[version]!)) {
        urls.push(`${lab.mofed!.baseUrl}/MLNX_OFED-${version}/MLNX_OFED_LINUX-${version}-${distro}-x86_64.tgz`);
        expected.push(hex);
      }
    }
    // What the mirror serves, byte for byte, as a host downloads it.
    const fetchSums = "import sys, hashlib, urllib.request\nfor u in sys.argv[1:]: print(hashlib.sha256(urllib.request.urlopen(u).read()).hexdigest())";
    const got = await ssh('linux-01', `python3 -c '${fetchSums}' ${urls.join(' ')}`);
    expect(got.stdout.trim().split('\n'), got.stderr).toEqual(expected);
  });

  it('resets hosts to their fresh state, same host keys', async () => {
    await ssh('linux-03', 'sudo touch /etc/dirty; echo x >> /var/lib/fleethost/state');
    await labResetHosts(lab.dir, ['linux-03']);
    const r = await ssh('linux-03', 'ls /etc/dirty 2>/dev/null || echo clean; ls -A /var/lib/fleethost | wc -l');
    expect(r.stdout).toBe('clean\n0\n');
  });

  it('refuses a second lab in the same directory and unknown distros', async () => {
    await expect(labUp({ dir: lab.dir, linux: 1 })).rejects.toThrow(/already has a lab/);
    await expect(labUp({ dir: join(parent, 'x'), linux: 1, distros: ['centos7'] })).rejects.toThrow(/unknown distro 'centos7' \(known: ubuntu22\.04, ubuntu20\.04/);
    await expect(labDown(join(parent, 'nothing-here'))).rejects.toThrow(/no lab in/);
  });
});

describe('several labs and lab down', () => {
  it('runs a second lab beside the first, and taking it down leaves the first untouched', async () => {
    const second = await labUp({ dir: join(parent, 'second'), linux: 1 });
    expect(second.slot).not.toBe(lab.slot);
    expect(second.subnet).not.toBe(lab.subnet);
    const r = await run('ssh', ['-F', second.files.sshConfig, '-o', 'BatchMode=yes', 'linux-01', 'hostname']);
    expect(r.stdout).toBe('linux-01\n');
    await labDown(second.dir);
    expect(await leftovers(second)).toEqual([]);
    await expect(readdir(second.dir)).rejects.toThrow();
    expect((await ssh('linux-02', 'hostname')).stdout).toBe('linux-02\n');
  });

  it('down removes every namespace, link, route, mount, process and file it made', async () => {
    const info = lab;
    await labDown(info.dir);
    expect(await leftovers(info)).toEqual([]);
    expect(await readdir(info.dir).catch(() => [])).toEqual([]);
    lab = undefined as unknown as LabInfo;
  });
});
