// ib_health on real lab hosts over SSH (Ubuntu-like and RHEL-like): its one command runs in the host's
// own namespaces, a host without InfiniBand is reported in one line per problem, the agent's stock
// waagent.conf is read as RDMA off, and nothing changes (check mode gives the same answer).
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/ssh/ib-health.yml', import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });

describe('ib_health over SSH', () => {
  for (const mode of [[], ['--check']]) {
    it(`reports a host without InfiniBand, one line per problem${mode.length ? ' (check mode)' : ''}`, async () => {
      const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, ['/etc'])));
      const r = await fleetplay([PLAYBOOK, '-i', lab.inventory, ...mode]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ ok: 4, changed: 0, failed: 0, ignored: 1 });
      expect(r.stdout.match(/"msg": "ports=0 ipoib=0 rdma=False problems=0"/g)).toHaveLength(2);
      const said = 'no InfiniBand ports under /sys/class/infiniband: is the OFED driver loaded (mlx5_ib)?\\nthe agent does not read RDMA as enabled in /etc/waagent.conf (see waagent_rdma)';
      // Per host: in the ignored failure, and again from the debug that prints it.
      expect(r.stdout.split(`"msg": "${said}"`)).toHaveLength(5);
      expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, ['/etc'])))).toEqual(before);
    });
  }
});
