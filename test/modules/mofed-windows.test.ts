// mofed_install on Windows (WinOF-2) end to end: the real CLI, in its own process, runs a playbook
// over WinRM with NTLM message encryption against a lab Windows host started in this process. The
// package comes from a mirror on the lab network (a server in another process: the host waits for
// its downloads) or is uploaded from the controller. Failure cases go through the same WinRM path.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createWinrmConnection } from '../../src/engine/connection/winrm/index.js';
import type { Connection } from '../../src/engine/contract/connection.js';
import { defaultWindowsHostConfig, installedWinof2Version, startWindowsHost, type WindowsHostConfig, type WindowsHostHandle } from '@fleetplay/lab/windows';
import { mofedInstall } from '../../src/modules/mofed-install.js';
import { fleetplay, recap } from '../support/cli.js';
import { startFileServer, type FileServer } from '../support/file-server.js';
import { makeHostContext, runModule } from '../support/module-host.js';

const PKG = 'MLNX_WinOF2-3_10_50000_All_x64.exe';
const payload = Buffer.from('MZ fake WinOF-2 3.10.50000 package '.repeat(2000));
const sha256 = createHash('sha256').update(payload).digest('hex');

let mirror: FileServer;
let dir: string;
const hosts: WindowsHostHandle[] = [];

beforeAll(async () => {
  mirror = await startFileServer({ [`/winof2/${PKG}`]: { body: payload } });
  dir = await mkdtemp(join(tmpdir(), 'fp-winof2-'));
  await mkdir(join(dir, 'files'));
  await writeFile(join(dir, 'files', PKG), payload);
});
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});
afterAll(async () => {
  await mirror?.close();
  await rm(dir, { recursive: true, force: true });
});

let serial = 0;
async function labHost(winof2: WindowsHostConfig['winof2'] = {}): Promise<{ host: WindowsHostHandle; config: WindowsHostConfig; stateFile: string }> {
  const stateFile = join(dir, `win${++serial}.state.json`);
  const config = defaultWindowsHostConfig({ name: `WIN${serial}`, listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, certDir: join(dir, 'certs'), stateFile, winof2 });
  const host = await startWindowsHost(config);
  hosts.push(host);
  return { host, config, stateFile };
}

async function inventory(name: string, h: { host: WindowsHostHandle; config: WindowsHostConfig }): Promise<string> {
  const path = join(dir, `${name}.inventory.yml`);
  const vars = {
    ansible_host: '127.0.0.1', ansible_port: h.host.httpPort, ansible_connection: 'winrm', ansible_winrm_scheme: 'http',
    ansible_winrm_transport: 'ntlm', ansible_user: h.config.user, ansible_password: h.config.password,
  };
  await writeFile(path, stringify({ all: { children: { windows: { hosts: { [name]: vars } } } } }));
  return path;
}

/** The documented pattern: the task notifies, the handler reboots only when the installer asked. */
async function playbook(name: string, install: Record<string, unknown>): Promise<string> {
  const path = join(dir, `${name}.yml`);
  await writeFile(path, stringify([{
    hosts: 'windows',
    gather_facts: false,
    tasks: [{ name: 'WinOF-2 at the pinned version', mofed_install: { version: '3.10.50000', ...install }, register: 'winof2', notify: 'reboot for WinOF-2' }],
    handlers: [{ name: 'reboot for WinOF-2', when: 'winof2.reboot_required | default(false)', win_powershell: { script: 'Restart-Computer -Force' } }],
  }]));
  return path;
}

const hash = async (file: string): Promise<string> => createHash('sha256').update(await readFile(file)).digest('hex');
const leftovers = (h: WindowsHostHandle): string[] => Object.keys(h.state().files).filter((k) => k.includes('fleetplay-winof2-'));

describe('mofed_install on a Windows host, through the CLI', () => {
  it('check mode changes nothing; the run installs (3010: reboot_required, the handler reboots); the next run changes nothing', async () => {
    const h = await labHost();
    const inv = await inventory('win1', h);
    const book = await playbook('url', { url: `${mirror.url}/winof2/${PKG}`, checksum: `sha256:${sha256}` });
    // The state file is written once the host has started: check mode must leave it byte for byte.
    const before = await hash(h.stateFile);

    const check = await fleetplay([book, '-i', inv, '--check', '--diff']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('version: (none) → 3.10.50000');
    expect(check.stdout).toContain(`download ${mirror.url}/winof2/${PKG}, then ${PKG} /S /v"/qn MT_SKIPFWUPGRD=1"`);
    expect(await hash(h.stateFile)).toBe(before);

    const report = join(dir, 'run1.json');
    const run = await fleetplay([book, '-i', inv, '--json', report]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(recap(run.stdout)).toMatchObject({ win1: { changed: 2, failed: 0 } });
    expect(run.stdout).toContain('WinOF-2 3.10.50000 installed, reboot required (exit 3010)');
    // Restart-Computer really reboots the lab host: its listener is down for a moment after the run.
    await h.host.whenUp();
    const state = h.host.state();
    expect(state.installs).toEqual([expect.objectContaining({ exitCode: 3010, version: '3.10.50000', firmwareUpdate: false, arguments: '/S /v"/qn MT_SKIPFWUPGRD=1"' })]);
    expect(installedWinof2Version(state)).toBe('3.10.50000');
    expect({ reboots: state.reboots, pendingReboot: state.pendingReboot }).toEqual({ reboots: 1, pendingReboot: false });
    expect(leftovers(h.host)).toEqual([]);
    expect(JSON.stringify(JSON.parse(await readFile(report, 'utf8')))).toMatch(/"reboot_required":true/);

    const again = await fleetplay([book, '-i', inv]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(recap(again.stdout)).toMatchObject({ win1: { changed: 0, failed: 0 } });
    expect(h.host.state().installs).toHaveLength(1);
    expect(h.host.state().reboots).toBe(1);
  });

  it('uploads src from the controller; an install that needs no reboot leaves the handler skipped', async () => {
    const h = await labHost({ installerExitCode: 0 });
    const inv = await inventory('win2', h);
    const book = await playbook('src', { src: PKG, checksum: `sha256:${sha256}`, firmware_update: true });
    const run = await fleetplay([book, '-i', inv, '-v']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(recap(run.stdout)).toMatchObject({ win2: { changed: 1, failed: 0 } });
    const state = h.host.state();
    expect(state.installs).toEqual([expect.objectContaining({ exitCode: 0, firmwareUpdate: true, arguments: '/S /v/qn' })]);
    expect(state.reboots).toBe(0);
    expect(leftovers(h.host)).toEqual([]);
  });
});

describe('mofed_install failures on a Windows host leave it as it was', () => {
  let conn: Connection | undefined;
  afterEach(async () => {
    await conn?.close();
    conn = undefined;
  });
  const connect = async (winof2: WindowsHostConfig['winof2'] = {}) => {
    const h = await labHost(winof2);
    conn = createWinrmConnection({
      name: 'win', transport: 'winrm', address: '127.0.0.1', port: h.host.httpPort, user: h.config.user, password: h.config.password, vars: { ansible_winrm_scheme: 'http' },
    });
    await conn.connect();
    const run = (args: Record<string, unknown>, check = false) =>
      runModule(mofedInstall, { version: '3.10.50000', ...args }, { ctx: makeHostContext({ conn, baseDir: dir, checkMode: check }), check });
    return { h, run };
  };

  it('a checksum mismatch runs nothing and removes the package', async () => {
    const { h, run } = await connect();
    const r = await run({ src: PKG, checksum: `sha256:${'0'.repeat(64)}` });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe(`checksum mismatch for ${PKG}: expected sha256:${'0'.repeat(64)}, got sha256:${sha256}; nothing was installed and the package was removed`);
    expect(h.host.state().installs).toEqual([]);
    expect(leftovers(h.host)).toEqual([]);
  });

  it('an installer failure gives its own message and installs nothing', async () => {
    const { h, run } = await connect({ installerExitCode: 1618 });
    const r = await run({ src: PKG });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe('another installation is already in progress on the host: retry when it has finished (exit 1618)');
    expect(installedWinof2Version(h.host.state())).toBeNull();
    expect(leftovers(h.host)).toEqual([]);
  });

  it('a download the mirror does not have fails with the server\'s answer', async () => {
    const { h, run } = await connect();
    const r = await run({ url: `${mirror.url}/winof2/MLNX_WinOF2-3_10_50000_All_x64.exe.missing` });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/^download of .* failed: The remote server returned an error: \(404\) Not Found\.; nothing was installed$/);
    expect(h.host.state().installs).toEqual([]);
  });

  it('a Linux-only argument fails the plan before anything runs; the detection is overridable', async () => {
    const { h, run } = await connect({ installedVersion: '3.10.50000' });
    const wrong = await run({ src: PKG, distro: 'ubuntu22.04' });
    expect(wrong).toMatchObject({ status: 'failed', msg: 'distro cannot be used on a Windows host: they apply to Linux hosts (MLNX_OFED) only' });
    expect(await run({ src: PKG })).toMatchObject({ status: 'ok', plan: { reason: 'WinOF-2 3.10.50000 is already installed (Uninstall entry MLNX_WinOF2)' } });
    // A host whose product registers under another name: detection by DisplayName or by a script.
    expect((await run({ src: PKG, detect: { display_name: 'Mellanox WinOF-2*' } }, true)).plan?.changes).toHaveLength(1);
    const script = "(Get-CimInstance Win32_OperatingSystem) | Out-Null; '3.10.50000'";
    expect(await run({ src: PKG, detect: { script } })).toMatchObject({ status: 'ok', plan: { reason: 'WinOF-2 3.10.50000 is already installed (detect.script)' } });
    expect(h.host.state().installs).toEqual([]);
  });
});
