// The benchmark's reference workload (an ansible-playbook file, used unchanged) on the lab's `fleet`
// group: the first run changes every host and its handler runs once per host, the second run changes
// and writes nothing, and --check --diff on fresh hosts writes nothing either.
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

// CI checks out the shared workload beside the repository.
const WORKLOAD = fileURLToPath(new URL('../../../shared/bench-workload/workload.yml', import.meta.url));
if (!existsSync(WORKLOAD)) {
  throw new Error(`the benchmark workload is missing: expected ${WORKLOAD} (the shared/ directory beside the checkout)`);
}

const HOSTS = ['linux-01', 'linux-02'] as const;
const STATE = ['/etc/waagent.conf', '/var/lib/fleethost'];
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });

// The workload edits /etc/waagent.conf without become (the benchmark logs in as root); the lab's
// login user is not root, so become comes from the command line, the playbook stays as it is.
const REPORT = join(tmpdir(), `fleetplay-ssh-workload-${process.pid}.json`);
const play = (...extra: string[]) => fleetplay([WORKLOAD, '-i', lab.inventory, '-e', 'ansible_become=true', '--json', REPORT, ...extra]);
/** Remote commands each host got in the last run (the report's `remote`). */
const commands = () => {
  const remote = (JSON.parse(readFileSync(REPORT, 'utf8')) as { remote?: Record<string, { commands: number }> }).remote ?? {};
  return HOSTS.map((h) => remote[h]?.commands);
};
const restartsLog = (h: string) => lab.sh(h, 'cat /var/lib/fleethost/restarts.log 2>/dev/null || true');

describe('the benchmark workload on the lab', () => {
  it('first run configures every host and runs the handler once per host', async () => {
    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // Two waagent.conf edits, the motd, the OFED directory, the agent config, and the handler.
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toEqual({ ok: 11, changed: 6, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
    // 4 commands, 5 writes, the handler: every read rides on one of them (read-ahead)
    expect(commands()).toEqual([10, 10]);
    for (const [i, h] of HOSTS.entries()) {
      expect(await restartsLog(h)).toBe('restarted\n');
      expect(await lab.sh(h, 'grep -E "^#? ?OS\\.(EnableRDMA|UpdateRdmaDriver)=" /etc/waagent.conf')).toBe('OS.EnableRDMA=y\nOS.UpdateRdmaDriver=y\n');
      const agent = await lab.sh(h, 'cat /var/lib/fleethost/agent.conf');
      expect(agent.split('\n')).toHaveLength(21);
      expect(agent).toContain(`hostname = ${h}\naddress = ${lab.address(h)}\n`);
      expect(agent).toContain(`node_index = ${i}\nnode_count = 2\n`);
      expect(await lab.sh(h, 'stat -c "%F %a" /var/lib/fleethost/ofed /var/lib/fleethost/motd')).toBe('directory 755\nregular file 644\n');
    }
  });

  it('second run: changed=0, no handler, nothing written', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
    // the four command tasks, the six reads riding on them
    expect(commands()).toEqual([4, 4]);
    for (const h of HOSTS) expect(await restartsLog(h)).toBe('restarted\n');
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
  });

  it('--check --diff on fresh hosts shows the edits and writes nothing', async () => {
    await lab.reset([...HOSTS]);
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play('--check', '--diff');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // As in Ansible, command/shell (four probes and the handler) are skipped in check mode.
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toEqual({ ok: 6, changed: 5, unreachable: 0, failed: 0, skipped: 5, rescued: 0, ignored: 0 });
    // every read of the play in one batch
    expect(commands()).toEqual([1, 1]);
    expect(r.stdout).toMatch(/RUNNING HANDLER \[restart waagent\] \**\nskipping: \[linux-0[12]\]/);
    expect(r.stdout).toContain('-# OS.EnableRDMA=y\n+OS.EnableRDMA=y\n');
    expect(r.stdout).toContain('+node_count = 2\n');
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
    for (const h of HOSTS) expect(await restartsLog(h)).toBe('');
  });
});
