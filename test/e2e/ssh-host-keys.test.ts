// Host key checking through the real CLI, with a known_hosts file of the test's own: strict accepts
// the lab's keys and refuses unknown ones (naming host and fingerprint, exit 4); accept-new, run-wide
// or per host, records new keys; a changed key is refused under every policy but off.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const run = promisify(execFile);
const PLAYBOOK = new URL('fixtures/ssh/ping.yml', import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const lab = useLab({ linux: 2 });

/** SHA256 fingerprints of the lab's host keys, as OpenSSH's ssh-keygen prints them. */
const fingerprints = new Map<string, string>();
let labKnownHosts: string;

beforeAll(async () => {
  labKnownHosts = await readFile(lab.info.files.knownHosts, 'utf8');
  const listed = (await run('ssh-keygen', ['-lf', lab.info.files.knownHosts])).stdout;
  for (const line of listed.trim().split('\n')) {
    const [, fp, names] = line.split(' ');
    fingerprints.set(names!.split(',')[0]!, fp!);
  }
});

/** An inventory whose hosts trust only `knownHosts` (no ~/.ssh/config, no lab ssh_config). */
async function setup(name: string, knownHosts: string, perHost: Record<string, Record<string, string>> = {}): Promise<{ inventory: string; file: string }> {
  const file = await lab.write(`${name}.known_hosts`, knownHosts);
  const hosts = Object.fromEntries(HOSTS.map((h) => [h, { ansible_host: lab.address(h), ...perHost[h] }]));
  const inventory = await lab.write(`${name}.yml`, {
    linux: {
      hosts,
      vars: {
        ansible_user: lab.info.users.login,
        ansible_ssh_private_key_file: lab.info.files.clientKey,
        ansible_ssh_common_args: `-F /dev/null -o UserKnownHostsFile=${file}`,
      },
    },
  });
  return { inventory, file };
}

const keysIn = async (file: string) => (await run('ssh-keygen', ['-lf', file]).catch(() => ({ stdout: '' }))).stdout;

describe('host key checking', () => {
  it('strict with the lab known_hosts connects', async () => {
    const { inventory } = await setup('lab', labKnownHosts);
    const r = await fleetplay([PLAYBOOK, '-i', inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ ok: 1, unreachable: 0 });
  });

  it('strict with an empty known_hosts: unreachable, naming the host and its key fingerprint, exit 4', async () => {
    const { inventory, file } = await setup('empty', '');
    const r = await fleetplay([PLAYBOOK, '-i', inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ ok: 0, unreachable: 1 });
      const addr = lab.address(h);
      expect(r.stdout).toContain(`fatal: [${h}]: UNREACHABLE! => {"changed": false, "msg": "ssh fleet@${addr}: host key for ${addr} is not known (ssh-ed25519 ${fingerprints.get(h)}) and host key checking is strict`);
    }
    expect(await readFile(file, 'utf8')).toBe('');
  });

  it('--host-key-checking accept-new records the keys and connects; strict then accepts them', async () => {
    const { inventory, file } = await setup('accept', '');
    const r = await fleetplay([PLAYBOOK, '-i', inventory, '--host-key-checking', 'accept-new']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const recorded = await keysIn(file);
    for (const h of HOSTS) expect(recorded).toContain(`${fingerprints.get(h)} ${lab.address(h)} (ED25519)`);
    const strict = await fleetplay([PLAYBOOK, '-i', inventory]);
    expect(strict.code, strict.stdout + strict.stderr).toBe(0);
    expect(await keysIn(file)).toBe(recorded);
  });

  it('accept-new as a per-host ssh argument applies to that host only', async () => {
    const { inventory, file } = await setup('per-host', '', { 'linux-01': { ansible_ssh_extra_args: '-o StrictHostKeyChecking=accept-new' } });
    const r = await fleetplay([PLAYBOOK, '-i', inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(recap(r.stdout)).toMatchObject({ 'linux-01': { ok: 1, unreachable: 0 }, 'linux-02': { ok: 0, unreachable: 1 } });
    const recorded = await keysIn(file);
    expect(recorded).toContain(fingerprints.get('linux-01')!);
    expect(recorded).not.toContain(fingerprints.get('linux-02')!);
  });

  it('a changed key is refused even under accept-new, and known_hosts is left alone', async () => {
    // linux-01's address now carries linux-02's key, as after a reinstall or an interception.
    const other = labKnownHosts.split('\n').find((l) => l.startsWith('linux-02,'))!.split(' ').slice(1).join(' ');
    const forged = labKnownHosts.replace(/^linux-01,(\S+) .*$/m, `linux-01,$1 ${other}`);
    const { inventory, file } = await setup('mismatch', forged);
    const r = await fleetplay([PLAYBOOK, '-i', inventory, '--host-key-checking', 'accept-new']);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(recap(r.stdout)).toMatchObject({ 'linux-01': { ok: 0, unreachable: 1 }, 'linux-02': { ok: 1, unreachable: 0 } });
    const addr = lab.address('linux-01');
    expect(r.stdout).toContain(`HOST KEY MISMATCH for ${addr}: the server presented ssh-ed25519 ${fingerprints.get('linux-01')} but known_hosts has ssh-ed25519 ${fingerprints.get('linux-02')}`);
    expect(await readFile(file, 'utf8')).toBe(forged);
  });
});

