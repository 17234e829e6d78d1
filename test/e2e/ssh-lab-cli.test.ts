// `fleetplay lab up|status|down` as a user runs them: up writes the client files and the hosts answer
// OpenSSH and fleetplay alike, status lists the hosts (and notices one that is down), and down leaves
// no namespace, link, route, mount, process or file behind.
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { labDown, type LabInfo, labStopHosts, readLabInfo } from '@fleetplay/lab';
import { fleetplay, recap } from '../support/cli.js';
import { labLeftovers } from '../support/lab.js';

const run = promisify(execFile);
const PING = new URL('fixtures/ssh/ping.yml', import.meta.url).pathname;
let parent: string | undefined;

afterAll(async () => {
  if (!parent) return;
  // Only when a test failed half-way: the lab must not outlive the suite.
  const dir = join(parent, 'lab');
  if (await readLabInfo(dir).catch(() => undefined)) await labDown(dir);
  await rm(parent, { recursive: true, force: true });
});

describe('fleetplay lab up, status, down', () => {
  it('starts a lab, reports it, and removes every trace of it', async () => {
    parent = await mkdtemp(join(tmpdir(), 'fleetplay-lab-cli-'));
    const dir = join(parent, 'lab');

    const up = await fleetplay(['lab', 'up', '--linux', '2', '--dir', dir]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toBe(`lab up: 2 hosts; inventory: ${join(dir, 'inventory.yml')}\n`);
    const info = (await readLabInfo(dir)) as LabInfo;
    expect(info.status).toBe('up');
    for (const f of ['inventory.yml', 'inventory.ini', 'known_hosts', 'id_ed25519', 'ssh_config']) await access(join(dir, f));

    // The written ssh_config works for the stock OpenSSH client, the inventory for fleetplay.
    const ssh = await run('ssh', ['-F', join(dir, 'ssh_config'), '-o', 'BatchMode=yes', 'linux-02', 'hostname']);
    expect(ssh.stdout).toBe('linux-02\n');
    const ping = await fleetplay([PING, '-i', join(dir, 'inventory.yml')]);
    expect(ping.code, ping.stdout + ping.stderr).toBe(0);
    expect(recap(ping.stdout)).toMatchObject({ 'linux-01': { ok: 1 }, 'linux-02': { ok: 1 } });

    const status = await fleetplay(['lab', 'status', '--dir', dir]);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    const rows = status.stdout.trim().split('\n').map((l) => l.split(/\s+/));
    expect(rows).toEqual(info.hosts.map((h) => [h.name, h.address, 'linux', 'ubuntu22.04', 'up']));

    await labStopHosts(dir, ['linux-01']);
    const degraded = await fleetplay(['lab', 'status', '--dir', dir]);
    expect(degraded.code).toBe(4);
    expect(degraded.stdout).toMatch(/^linux-01\s+\S+\s+linux\s+ubuntu22\.04\s+DOWN$/m);
    expect(degraded.stdout).toMatch(/^linux-02\s+\S+\s+linux\s+ubuntu22\.04\s+up$/m);

    const down = await fleetplay(['lab', 'down', '--dir', dir]);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toBe('lab down\n');
    expect(await labLeftovers(info)).toEqual([]);
    // `up` created the directory, so `down` removes it.
    await expect(access(dir)).rejects.toThrow();

    const after = await fleetplay(['lab', 'status', '--dir', dir]);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toContain(`no lab in ${dir}`);
    // Taking down what is already down is not an error (scripts, a second Ctrl-C'd run).
    const again = await fleetplay(['lab', 'down', '--dir', dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(`no lab running in ${dir}\n`);
  });
});
