// ib_health against the lab's InfiniBand model (packages/lab/src/ib-model.ts) on an Ubuntu-like and a
// RHEL-like host: each host gets an HDR HCA in its own /sys/class, the lab agent brings RDMA up at
// its start by its own reading of waagent.conf and gives ib0 an address, and then ib_health passes a
// healthy host and reports each injected fault (a port down, ib0 without address, an old agent, a
// slow port) in one line, while changing nothing on the host.
import { beforeAll, describe, expect, it } from 'vitest';
import { AGENT_LOG, AGENT_VERSION_FILE, agentUnit, distroFamily, type LabDistro } from '@fleetplay/lab';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const HOSTS = ['linux-01', 'linux-02'] as const;
const DISTROS: LabDistro[] = ['ubuntu22.04', 'rhel8.6'];
const lab = useLab({ linux: 2, distros: DISTROS });
const unit = (i: number) => agentUnit(distroFamily(DISTROS[i]!));
const ipv4 = async (h: string) => {
  const links = JSON.parse(await lab.sh(h, 'ip -j addr show ib0')) as Array<{ addr_info: Array<{ family: string; local: string }> }>;
  return links[0]!.addr_info.filter((a) => a.family === 'inet').map((a) => a.local);
};
const setRdma = (h: string, i: number, line: string) =>
  lab.sh(h, `sudo sed -i '/^[# ]*OS.EnableRDMA *=/d' /etc/waagent.conf && echo '${line}' | sudo tee -a /etc/waagent.conf >/dev/null && sudo ip -4 addr flush dev ib0 && sudo systemctl restart ${unit(i)}`);

let playbook: string;

beforeAll(async () => {
  playbook = await lab.write('ib-health-strict.yml', [
    {
      name: 'InfiniBand health',
      hosts: 'linux',
      gather_facts: false,
      tasks: [
        {
          name: 'healthy',
          ib_health: { expect_ports_active: 'all', min_rate_gbps: 200, require_ipoib_address: true, min_agent_version: '2.4.0', require_agent_rdma: true },
          register: 'ib',
        },
        { name: 'what it saw', debug: { msg: '{{ ib.ports | map(attribute="state") | join(",") }} {{ ib.ipoib[0].ipv4 | join(",") }} {{ ib.agent_version }}' } },
      ],
    },
  ]);
  for (const [i, h] of HOSTS.entries()) {
    await lab.sh(h, 'sudo fleetlab-ib add mlx5_0 1 200');
    await setRdma(h, i, 'OS.EnableRDMA=y');
  }
});

describe('ib_health on the lab InfiniBand model', () => {
  it('the lab agent gives ib0 its address at start when it reads RDMA on, and logs why', async () => {
    for (const h of HOSTS) {
      const addr = await ipv4(h);
      expect(addr).toHaveLength(1);
      expect(addr[0]).toMatch(/^172\.16\.\d+\.\d+$/);
      expect(await lab.sh(h, `tail -n1 ${AGENT_LOG}`)).toMatch(/RDMA: enabled by OS\.EnableRDMA; ib0 configured with 172\.16\.\d+\.\d+\/16/);
      expect(await lab.sh(h, 'cat /sys/class/infiniband/mlx5_0/ports/1/state /sys/class/infiniband/mlx5_0/ports/1/rate')).toBe('4: ACTIVE\n200 Gb/sec (4X HDR)\n');
    }
  });

  it('passes a healthy host and changes nothing', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, ['/etc', '/sys/class/infiniband'])));
    const r = await fleetplay([playbook, '-i', lab.inventory]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ ok: 2, changed: 0, failed: 0 });
    for (const h of HOSTS) expect(r.stdout).toContain(`"msg": "ACTIVE ${(await ipv4(h))[0]} 2.9.1.1"`);
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, ['/etc', '/sys/class/infiniband'])))).toEqual(before);
  });

  it('reports each injected fault in one line, per host', async () => {
    await lab.sh('linux-01', `sudo fleetlab-ib port mlx5_0 1 DOWN Polling && sudo fleetlab-ib ipoib flush && echo 2.2.49 | sudo tee ${AGENT_VERSION_FILE} >/dev/null`);
    await lab.sh('linux-02', 'sudo fleetlab-ib port mlx5_0 1 ACTIVE LinkUp 100');
    for (const mode of [[], ['--check']]) {
      const r = await fleetplay([playbook, '-i', lab.inventory, ...mode]);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stdout).toContain('"msg": "mlx5_0 port 1: Down/Polling\\nib0: no IPv4 address\\nagent 2.2.49 < 2.4.0"');
      expect(r.stdout).toContain('"msg": "mlx5_0 port 1: rate 100 Gb/s < 200"');
      for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ ok: 0, changed: 0, failed: 1 });
    }
  });

  it("the lab agent reads waagent.conf by the agent's rule: `y extra` is off, a quoted Y with a comment is on", async () => {
    await setRdma('linux-02', 1, 'OS.EnableRDMA=y extra');
    expect(await ipv4('linux-02')).toEqual([]);
    expect(await lab.sh('linux-02', `tail -n1 ${AGENT_LOG}`)).toContain('RDMA: not enabled in /etc/waagent.conf');
    await setRdma('linux-02', 1, 'OS.EnableRDMA = "Y" # on');
    expect(await ipv4('linux-02')).toHaveLength(1);
  });

  it('after a reboot ib0 starts without an address and the enabled agent gives it one again', async () => {
    const boot = await lab.sh('linux-02', 'cat /proc/sys/kernel/random/boot_id');
    const before = await ipv4('linux-02');
    await lab.ssh('linux-02', 'sudo reboot');
    const deadline = Date.now() + 30_000;
    let now = boot;
    while (now === boot && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 500));
      now = (await lab.ssh('linux-02', 'cat /proc/sys/kernel/random/boot_id')).stdout || boot;
    }
    expect(now).not.toBe(boot);
    expect(await ipv4('linux-02')).toEqual(before);
    expect(await lab.sh('linux-02', 'cat /sys/class/infiniband/mlx5_0/ports/1/rate')).toBe('100 Gb/sec (4X EDR)\n');
  });
});
