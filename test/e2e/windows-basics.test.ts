// win_ping and win_powershell as playbook tasks through the real CLI, over WinRM with NTLM sealing,
// against a lab Windows host: the answer, a script's output and $Ansible.Changed, and check mode.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { startWindowsFleet, type WindowsFleet } from '../support/windows-hosts.js';

let fleet: WindowsFleet;
let playbook: string;
beforeAll(async () => {
  fleet = await startWindowsFleet([{ name: 'win1' }]);
  playbook = join(fleet.dir, 'site.yml');
  await writeFile(
    playbook,
    [
      '- hosts: hyperv',
      '  gather_facts: false',
      '  tasks:',
      '    - name: answer',
      '      win_ping: { data: hello }',
      '      register: pong',
      '    - name: script',
      '      win_powershell:',
      '        script: |',
      '          $Ansible.Changed = $false',
      '          "from {0}" -f $env:COMPUTERNAME',
      '      register: out',
      '    - debug: { msg: "{{ pong.ping }} {{ out.output | length }} {{ out.changed }}" }',
    ].join('\n'),
  );
}, 120_000);
afterAll(async () => fleet?.close());

describe('Windows basics as tasks', { timeout: 120_000 }, () => {
  it('runs win_ping and win_powershell and registers their results', async () => {
    const r = await fleetplay([playbook, '-i', fleet.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('"msg": "hello 1 False"');
    expect(recap(r.stdout).win1).toMatchObject({ ok: 3, changed: 0, failed: 0 });
  });

  it('check mode answers the ping, skips the script it cannot predict and what depends on it', async () => {
    const r = await fleetplay([playbook, '-i', fleet.inventory, '--check']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("undetermined in check mode: depends on 'out' from a task skipped in check mode ('script')");
    expect(recap(r.stdout).win1, r.stdout).toMatchObject({ ok: 1, skipped: 2, failed: 0 });
  });
});
