// ProxyJump through the lab's bastion to hosts on the isolated segment, through the real CLI: with
// the inventory `lab up` writes, and with the `ansible_ssh_common_args: -o ProxyJump=...` an Ansible
// user already has. Without the jump the isolated hosts are not reachable at all.
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/ssh/proxy-jump.yml', import.meta.url).pathname;
const ISOLATED = ['iso-01', 'iso-02'] as const;
const lab = useLab({ linux: 0, bastion: true, isolated: 2 });

const bastion = () => lab.info.hosts.find((h) => h.role === 'bastion')!;

/** A hand-written inventory of the isolated hosts; `sshArgs` are added to the connection's. */
function inventory(name: string, sshArgs: string): Promise<string> {
  return lab.write(name, {
    isolated: {
      hosts: Object.fromEntries(ISOLATED.map((h) => [h, { ansible_host: lab.address(h) }])),
      vars: {
        ansible_user: lab.info.users.login,
        ansible_ssh_private_key_file: lab.info.files.clientKey,
        ansible_ssh_common_args: `-F /dev/null -o UserKnownHostsFile=${lab.info.files.knownHosts} ${sshArgs}`.trim(),
      },
    },
  });
}

async function expectReachedThroughBastion(stdout: string): Promise<void> {
  // The isolated hosts see the bastion's address on their segment as the SSH client.
  const via = bastion().addresses[1]!;
  for (const h of ISOLATED) {
    expect(recap(stdout)[h]).toMatchObject({ failed: 0, unreachable: 0 });
    expect(await lab.sh(h, 'cat /var/lib/fleethost/via-bastion')).toBe(`${via} ${h}\n`);
  }
}

describe('ProxyJump through the lab bastion', () => {
  it('reaches the isolated hosts with the inventory lab up wrote', async () => {
    const r = await fleetplay([PLAYBOOK, '-i', lab.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of ISOLATED) expect(recap(r.stdout)[h]).toMatchObject({ changed: 1 });
    await expectReachedThroughBastion(r.stdout);
  });

  it('reaches them with -o ProxyJump=user@bastion in ansible_ssh_common_args', async () => {
    await lab.reset([...ISOLATED]);
    const inv = await inventory('jump.yml', `-o ProxyJump=${lab.info.users.login}@${bastion().address}`);
    const r = await fleetplay([PLAYBOOK, '-i', inv]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of ISOLATED) expect(recap(r.stdout)[h]).toMatchObject({ changed: 1 });
    await expectReachedThroughBastion(r.stdout);
  });

  it('without the jump the isolated hosts are unreachable, quickly', async () => {
    const inv = await inventory('no-jump.yml', '');
    const started = Date.now();
    const r = await fleetplay([PLAYBOOK, '-i', inv, '--timeout', '5']);
    expect(r.code, r.stdout + r.stderr).toBe(4);
    for (const h of ISOLATED) {
      expect(recap(r.stdout)[h]).toMatchObject({ ok: 0, unreachable: 1 });
      expect(r.stdout).toContain(`fatal: [${h}]: UNREACHABLE! => {"changed": false, "msg": "ssh fleet@${lab.address(h)}: host unreachable`);
    }
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
