// The remaining Linux system modules through the real CLI on an Ubuntu and a RHEL lab host: for each
// fixture playbook check mode writes nothing, a real run does the work (read back over OpenSSH), a
// second run changes nothing, and bad input fails with a clear message.
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const fixture = (name: string) => new URL(`fixtures/system/${name}`, import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
const play = (name: string, ...extra: string[]) => fleetplay([fixture(name), '-i', lab.inventory, ...extra]);
const snap = (paths: string[]) => Promise.all(HOSTS.map((h) => lab.snapshot(h, paths)));

describe('raw, script, pause over SSH', { timeout: 120_000 }, () => {
  it('check mode runs nothing; a real run runs once; the second run only runs raw', async () => {
    const before = await snap(['/var/tmp']);
    const dry = await play('exec.yml', '--check');
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(await snap(['/var/tmp'])).toEqual(before);
    const r = await play('exec.yml');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 1, failed: 0 });
    expect(await lab.sh('linux-01', 'cat /var/tmp/stamp')).toBe('ubuntu two words\n');
    expect(await lab.sh('linux-02', 'cat /var/tmp/stamp; ls /tmp | grep -c fleetplay-script || true')).toBe('rhel two words\n0\n');
    const again = await play('exec.yml');
    for (const h of HOSTS) expect(recap(again.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
  });
});
