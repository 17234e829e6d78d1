// -u, -b, --become-user, -k and -K on real lab hosts: `whoami` shows who a task ran as. As in
// Ansible, these flags are the lowest precedence: the inventory's ansible_user and a play's
// `become: false` override them. Prompted passwords are typed on a real terminal and never shown.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, fleetplay, recap, type CliResult } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/cli/whoami.yml', import.meta.url).pathname;
const H = 'linux-01';
const lab = useLab({ linux: 1 });
const NO_AGENT = { SSH_AUTH_SOCK: '' };

/** The lab host without ansible_user, so the command line decides who logs in. */
function inventory(name: string, vars: Record<string, string> = {}, key = true): Promise<string> {
  const base: Record<string, string> = { ansible_host: lab.address(H), ansible_ssh_common_args: `-F /dev/null -o UserKnownHostsFile=${lab.info.files.knownHosts}` };
  if (key) base.ansible_ssh_private_key_file = lab.info.files.clientKey;
  return lab.write(name, { linux: { hosts: { [H]: { ...base, ...vars } } } });
}

/** [first play's whoami, second play's (become: false)]. */
function users(r: CliResult): string[] {
  return [...r.stdout.matchAll(/"(?:who|plain)\.stdout": "([^"]*)"/g)].map((m) => m[1]!);
}

// A terminal for the CLI (-v: the text reporter, whose debug lines the test reads): answer each prompt (a line ending in "password: " or "password]: ") in turn.
const PTY_DRIVER = `
import json, os, pty, sys, select, time
answers = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
out = b''
seen = 0
end = time.time() + 120
while time.time() < end:
    if select.select([fd], [], [], 0.2)[0]:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    asked = out.count(b'password: ') + out.count(b'password]: ')
    if asked > seen and answers:
        seen = asked
        os.write(fd, answers.pop(0).encode() + b'\\r')
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status))
`;

function onTerminal(answers: string[], args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', ['-c', PTY_DRIVER, JSON.stringify(answers), process.execPath, BIN, ...args], { env: { ...process.env, ...NO_AGENT, NO_COLOR: '1' } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('who tasks run as, from the command line', () => {
  it('-u logs in as that user; -b becomes root; --become-user another user; a play with become: false stays the login user', async () => {
    const inv = await inventory('no-user.yml');
    const asFleet = await fleetplay([PLAYBOOK, '-i', inv, '-u', lab.info.users.login]);
    expect(asFleet.code, asFleet.stdout + asFleet.stderr).toBe(0);
    expect(users(asFleet)).toEqual(['fleet', 'fleet']);
    const asOther = await fleetplay([PLAYBOOK, '-i', inv, '--user', lab.info.users.passwordSudo]);
    expect(users(asOther)).toEqual(['fleetpw', 'fleetpw']);

    const root = await fleetplay([PLAYBOOK, '-i', inv, '-u', 'fleet', '-b']);
    expect(root.code, root.stdout + root.stderr).toBe(0);
    expect(users(root)).toEqual(['root', 'fleet']);
    const other = await fleetplay([PLAYBOOK, '-i', inv, '-u', 'fleet', '--become', '--become-user', 'fleetpw', '--become-method', 'sudo']);
    expect(other.code, other.stdout + other.stderr).toBe(0);
    expect(users(other)).toEqual(['fleetpw', 'fleet']);
    expect(recap(other.stdout)[H]).toMatchObject({ ok: 4, failed: 0 });
  }, 300_000);

  it('the inventory beats the command line, as in Ansible: ansible_user over -u, ansible_become_user over --become-user', async () => {
    const inv = await inventory('with-user.yml', { ansible_user: 'fleetpw' });
    const r = await fleetplay([PLAYBOOK, '-i', inv, '-u', 'fleet']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(users(r)).toEqual(['fleetpw', 'fleetpw']);
    const inv2 = await inventory('with-become-user.yml', { ansible_user: 'fleet', ansible_become_user: 'fleetpw' });
    const b = await fleetplay([PLAYBOOK, '-i', inv2, '-b', '--become-user', 'root']);
    expect(users(b)).toEqual(['fleetpw', 'fleet']);
  }, 180_000);

  it('an unsupported become method is a usage error before anything runs', async () => {
    const inv = await inventory('su.yml');
    const r = await fleetplay([PLAYBOOK, '-i', inv, '-u', 'fleet', '-b', '--become-method', 'su']);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe("fleetplay: become method 'su' is not supported: fleetplay escalates with sudo only\n");
    expect(r.stdout).toBe('');
  });

  it('-K asks for the sudo password on the terminal without echo; the password is in no output', async () => {
    const password = lab.info.users.password;
    const inv = await inventory('sudo-password.yml');
    const r = await onTerminal([password], [PLAYBOOK, '-i', inv, '-u', 'fleetpw', '-b', '-K', '-v']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('BECOME password: ');
    expect(users({ code: 0, stdout: r.out, stderr: '' })).toEqual(['root', 'fleetpw']);
    expect(r.out).not.toContain(password);
  }, 120_000);

  it('-k and -K: SSH password login, and an empty become answer reuses the SSH password', async () => {
    const password = lab.info.users.password;
    const inv = await inventory('login-password.yml', {}, false);
    const r = await onTerminal([password, ''], [PLAYBOOK, '-i', inv, '-u', 'fleetpw', '-k', '-K', '-b', '-vvv']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/SSH password: \r?\nBECOME password\[defaults to SSH password\]: /);
    expect(users({ code: 0, stdout: r.out, stderr: '' })).toEqual(['root', 'fleetpw']);
    expect(r.out).not.toContain(password);
  }, 120_000);
});
