// win_reboot through the real CLI against lab Windows hosts that really restart (their WinRM listener
// goes away for a moment and the boot time changes): a feature install asks for a restart, the
// handler restarts the host and the play goes on on the new boot with Hyper-V active; check mode
// restarts nothing; a host that stays down is unreachable (exit 4) with the timeout named.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { startWindowsHosts, type StartedWindowsHosts } from '../support/windows-hosts.js';

let lab: StartedWindowsHosts;
const host = (name: string) => lab.hosts.find((h) => h.name === name)!;

async function playbook(name: string, hosts: string, tasks: string[], handlers: string[] = []): Promise<string> {
  const path = join(lab.dir, name);
  await writeFile(path, [`- hosts: ${hosts}`, '  gather_facts: false', '  tasks:', ...tasks, ...(handlers.length ? ['  handlers:', ...handlers] : [])].join('\n'));
  return path;
}

beforeAll(async () => {
  lab = await startWindowsHosts([
    { name: 'win1', config: { hyperv: { enabled: false, gpus: [], vms: [] } } },
    { name: 'win2', config: { rebootDowntimeMs: 60_000 } },
  ], { prefix: 'fleetplay-winreboot-' });
}, 120_000);
afterAll(async () => lab?.close());

describe('win_reboot on lab Windows hosts', { timeout: 180_000 }, () => {
  const site = () => playbook('site.yml', 'win1', [
    '    - win_feature: { name: Hyper-V, include_management_tools: true }',
    '      register: hv',
    '      notify: restart',
    '    - win_powershell: { script: "(Get-CimInstance Win32_OperatingSystem).LastBootUpTime.ToString(\'o\')" }',
    '      register: boot_before',
  ], [
    '    - name: restart',
    '      ansible.windows.win_reboot: { pre_reboot_delay: 0, msg: Hyper-V installed }',
    '      when: hv.reboot_required',
    '      register: rb',
    '    - name: after restart',
    '      listen: restart',
    '      win_powershell: { script: "(Get-CimInstance Win32_OperatingSystem).LastBootUpTime.ToString(\'o\'); (Get-WindowsFeature Hyper-V).InstallState.ToString(); @(Get-VM).Count" }',
    '      register: after',
    '    - name: report',
    '      listen: restart',
    '      debug: { msg: "rebooted={{ rb.rebooted }} new_boot={{ after.output[0] != boot_before.output[0] }} {{ after.output[1] }} vms={{ after.output[2] }}" }',
  ]);

  it('--check restarts nothing', async () => {
    const before = await lab.stateHash(host('win1'));
    const r = await fleetplay([await site(), '-i', lab.inventory, '--check']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await lab.stateHash(host('win1'))).toBe(before);
    expect(host('win1').state().reboots).toBe(0);
  });

  it('a feature that needs a restart notifies win_reboot; the play goes on on the new boot, with Hyper-V active', async () => {
    const r = await fleetplay([await site(), '-i', lab.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout).win1).toMatchObject({ failed: 0, unreachable: 0 });
    expect(r.stdout).toContain('"msg": "rebooted=True new_boot=True Installed vms=0"');
    const s = host('win1').state();
    expect(s).toMatchObject({ reboots: 1, pendingReboot: false, hyperv: { enabled: true } });
    expect(s.features?.['Hyper-V']).toBe('Installed');
    // The connection from before the restart is gone: the host counted a fresh authentication.
    expect(host('win1').authentications()).toBeGreaterThan(1);

    // Nothing left to do: the feature is installed, the handler is not notified.
    const again = await fleetplay([await site(), '-i', lab.inventory]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(recap(again.stdout).win1).toMatchObject({ changed: 1, failed: 0 });
    expect(host('win1').state().reboots).toBe(1);
  });

  it('a host that does not come back within reboot_timeout is unreachable, with the timeout named', async () => {
    const book = await playbook('timeout.yml', 'win2', ['    - win_reboot: { reboot_timeout: 4, connect_timeout: 2, pre_reboot_delay: 0 }']);
    const r = await fleetplay([book, '-i', lab.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(r.stdout).toContain('the host did not come back within reboot_timeout (4 s)');
    expect(recap(r.stdout).win2).toMatchObject({ unreachable: 1 });
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });
});
