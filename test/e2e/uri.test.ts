// uri through the real CLI on an Ubuntu and a RHEL lab host, against the lab's MOFED mirror: GETs run
// in check mode too and report ok, a POST is planned in check mode and sent in a real run, and a
// status outside status_code fails the host with the status named.
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/system/uri.yml', import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
const sums = () => `${lab.info.mofed!.baseUrl}/MLNX_OFED-${lab.info.mofed!.version}/SHA256SUMS`;

describe('uri over SSH', () => {
  it('check mode reads with GET and plans the POST; a real run sends it', async () => {
    const name = (await (await fetch(sums())).text()).split('\n')[0]!.split(/\s+/)[1]!;
    const check = await fleetplay([PLAYBOOK, '-i', lab.inventory, '-e', `sums=${sums()}`, '--check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain(`"msg": "200 ${name} 404"`);
    for (const h of HOSTS) expect(recap(check.stdout)[h]).toMatchObject({ changed: 1, failed: 0 });
    const real = await fleetplay([PLAYBOOK, '-i', lab.inventory, '-e', `sums=${sums()}`]);
    expect(real.code, real.stdout + real.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(real.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
  });

  it('a status outside status_code fails with the status named', async () => {
    const r = await fleetplay([PLAYBOOK, '-i', lab.inventory, '-e', `sums=${sums()}.gone`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Status code was 404 and not [200]: HTTP 404');
  });
});
