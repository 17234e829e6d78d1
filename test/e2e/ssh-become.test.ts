// become and passwords over SSH through the real CLI: passwordless sudo, become_user, sudo with
// ansible_become_password (right, wrong and missing), SSH password login, and no password ever shown.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/ssh/become.yml', import.meta.url).pathname;
const H = 'linux-01';
const lab = useLab({ linux: 1 });

/**
 * An inventory logging in as the lab's password-sudo user, with the lab key or, when `loginPassword`
 * is given, by SSH password authentication; `becomePassword` for sudo if given.
 */
function passwordInventory(name: string, p: { becomePassword?: string; loginPassword?: string }): Promise<string> {
  const vars: Record<string, string> = {
    ansible_user: lab.info.users.passwordSudo,
    ansible_ssh_common_args: `-F /dev/null -o UserKnownHostsFile=${lab.info.files.knownHosts}`,
  };
  if (p.loginPassword === undefined) vars.ansible_ssh_private_key_file = lab.info.files.clientKey;
  else vars.ansible_password = p.loginPassword;
  if (p.becomePassword !== undefined) vars.ansible_become_password = p.becomePassword;
  return lab.write(name, { linux: { hosts: { [H]: { ansible_host: lab.address(H) } }, vars } });
}

/** No ssh-agent: password logins must not be helped by whatever keys an agent holds. */
const NO_AGENT = { env: { SSH_AUTH_SOCK: '' } };

const hostFiles = () =>
  lab.ssh(H, 'sudo stat -c "%n %U:%G %a" /etc/fleetplay-become.conf /opt/fleetplay /tmp/owned-by-other; sudo cat /etc/fleetplay-become.conf /opt/fleetplay/identities /tmp/owned-by-other');

describe('become over SSH', () => {
  it('passwordless sudo writes root-owned files, become_user writes as that user; idempotent', async () => {
    const r = await fleetplay([PLAYBOOK, '-i', lab.inventory, '-e', 'other_user=fleetpw']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout)[H]).toMatchObject({ changed: 4, failed: 0 });
    const files = await hostFiles();
    expect(files.stdout).toBe(
      [
        '/etc/fleetplay-become.conf root:root 600',
        '/opt/fleetplay root:root 755',
        '/tmp/owned-by-other fleetpw:fleetpw 644',
        'written through sudo',
        'fleet root fleetpw',
        'written as fleetpw',
        '',
      ].join('\n'),
    );
    const again = await fleetplay([PLAYBOOK, '-i', lab.inventory, '-e', 'other_user=fleetpw']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(recap(again.stdout)[H]).toMatchObject({ changed: 0, failed: 0 });
  });

  it('SSH password login and sudo with ansible_become_password work, and the password appears in no output', async () => {
    await lab.reset([H]);
    const password = lab.info.users.password;
    const inventory = await passwordInventory('password.yml', { loginPassword: password, becomePassword: password });
    const json = `${lab.work}/password-report.json`;
    const r = await fleetplay([PLAYBOOK, '-i', inventory, '-e', 'other_user=fleet', '-vvv', '--json', json], NO_AGENT);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout)[H]).toMatchObject({ changed: 4, failed: 0 });
    const files = await hostFiles();
    expect(files.stdout).toContain('/etc/fleetplay-become.conf root:root 600\n');
    expect(files.stdout).toContain('/tmp/owned-by-other fleet:fleet 644\n');
    expect(files.stdout).toContain('fleetpw root fleet\n');
    for (const out of [r.stdout, r.stderr, await readFile(json, 'utf8')]) expect(out).not.toContain(password);
  });

  it('a wrong become password fails the host clearly, writes nothing and is not shown', async () => {
    await lab.reset([H]);
    const wrong = `not-${lab.info.users.password}`;
    const inventory = await passwordInventory('wrong-password.yml', { becomePassword: wrong });
    const json = `${lab.work}/wrong-report.json`;
    const r = await fleetplay([PLAYBOOK, '-i', inventory, '-e', 'other_user=fleet', '-vvv', '--json', json]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(recap(r.stdout)[H]).toMatchObject({ ok: 0, changed: 0, failed: 1, unreachable: 0 });
    expect(r.stdout).toMatch(/fatal: \[linux-01\]: FAILED![\s\S]*?"msg": "copy: cannot read \/etc\/fleetplay-become.conf: become failed: the become password was rejected"/);
    for (const out of [r.stdout, r.stderr, await readFile(json, 'utf8')]) {
      expect(out).not.toContain(wrong);
      expect(out).not.toContain(lab.info.users.password);
    }
    expect((await lab.ssh(H, 'sudo test -e /etc/fleetplay-become.conf || echo absent')).stdout).toBe('absent\n');
  });

  it('sudo that needs a password without one says what to set', async () => {
    const inventory = await passwordInventory('no-password.yml', {});
    const r = await fleetplay([PLAYBOOK, '-i', inventory, '-e', 'other_user=fleet']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toMatch(/fatal: \[linux-01\]: FAILED! .*sudo needs a password \(set ansible_become_password or allow NOPASSWD\)/);
  });

  it('a wrong SSH password makes the host unreachable without showing the password', async () => {
    const wrong = `not-${lab.info.users.password}`;
    const inventory = await passwordInventory('wrong-login.yml', { loginPassword: wrong });
    const r = await fleetplay([PLAYBOOK, '-i', inventory, '-e', 'other_user=fleet', '-vvv'], NO_AGENT);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(recap(r.stdout)[H]).toMatchObject({ ok: 0, unreachable: 1 });
    expect(r.stdout).toMatch(/fatal: \[linux-01\]: UNREACHABLE![\s\S]*?ssh fleetpw@[\d.]+: authentication failed \(tried [^)]*password\)/);
    for (const out of [r.stdout, r.stderr]) expect(out).not.toContain(wrong);
  });
});
