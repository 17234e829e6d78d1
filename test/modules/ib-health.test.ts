import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ibHealth, ibProblems } from '../../src/modules/ib-health.js';
import { parseIbFacts } from '../../src/modules/lib/ib-facts.js';

// A recorded read of an HDR node whose second port is down, with ib1 unconfigured, an old agent
// daemon (auto-updated handler), and a waagent.conf the agent reads as RDMA off (`y extra`).
const recorded = readFileSync(new URL('../fixtures/modules/ib/hdr-two-ports.txt', import.meta.url), 'utf8');
const facts = parseIbFacts(recorded);
const planCtx = { host: 'h', checkMode: true, facts: {}, evaluate: () => undefined, evaluateCondition: () => true };

describe('ib facts parser', () => {
  it('reads ports, IPoIB interfaces, agent versions and OFED from the recorded output', () => {
    expect(facts.ports).toEqual([
      { device: 'mlx5_ib0', port: 1, state: 'ACTIVE', physState: 'LinkUp', rateGbps: 200, linkLayer: 'InfiniBand' },
      { device: 'mlx5_ib1', port: 1, state: 'DOWN', physState: 'Polling', rateGbps: 10, linkLayer: 'InfiniBand' },
      { device: 'mlx5_an0', port: 1, state: 'ACTIVE', physState: 'LinkUp', rateGbps: 40, linkLayer: 'Ethernet' },
    ]);
    expect(facts.ipoib).toEqual([
      { name: 'ib0', operstate: 'UP', ipv4: ['172.16.1.4'] },
      { name: 'ib1', operstate: 'DOWN', ipv4: [] },
    ]);
    expect(facts).toMatchObject({ agentVersion: '2.2.49.2', goalStateAgentVersion: '2.9.1.1', ofedVersion: 'MLNX_OFED_LINUX-5.8-3.0.7.0' });
  });

  it('an empty host (no driver, no agent, no OFED) parses to nothing rather than failing', () => {
    expect(parseIbFacts('@@ports\n@@ip\n[]\n@@agent\n@@agent_conf\n@@ofed\n@@end\n')).toEqual({ ports: [], ipoib: [] });
  });
});

describe('ib_health', () => {
  it('names each problem in one line: the down port, the unaddressed interface, the old agent, RDMA off', () => {
    expect(ibProblems({ min_rate_gbps: 200, require_ipoib_address: true, min_agent_version: '2.4.0', require_agent_rdma: true }, facts)).toEqual([
      'mlx5_ib1 port 1: Down/Polling',
      'ib1: DOWN',
      'agent 2.2.49.2 < 2.4.0',
      'the agent does not read RDMA as enabled in /etc/waagent.conf (see waagent_rdma)',
    ]);
    expect(ibProblems({ expect_ports_active: 2 }, facts)).toEqual(['1 of 2 ports active, 2 expected (mlx5_ib1 port 1: Down/Polling)']);
    expect(ibProblems({ expect_ports_active: 1, min_rate_gbps: 400 }, facts)).toEqual(['mlx5_ib0 port 1: rate 200 Gb/s < 400']);
    expect(ibProblems({}, { ports: [], ipoib: [] })).toEqual(['no InfiniBand ports under /sys/class/infiniband: is the OFED driver loaded (mlx5_ib)?']);
  });

  it('fails with the problems and still returns the structured result; passes a healthy host without changing anything', () => {
    const bad = ibHealth.plan({ require_ipoib_address: true }, { facts }, planCtx);
    expect(bad.failed).toBe('mlx5_ib1 port 1: Down/Polling\nib1: DOWN');
    expect(bad.changes).toEqual([]);
    expect(bad.result).toMatchObject({ agent_version: '2.2.49.2', agent_rdma_enabled: false, ofed_version: 'MLNX_OFED_LINUX-5.8-3.0.7.0', problems: ['mlx5_ib1 port 1: Down/Polling', 'ib1: DOWN'] });
    const good = ibHealth.plan({ expect_ports_active: 1, min_rate_gbps: 200 }, { facts }, planCtx);
    expect(good.failed).toBeUndefined();
    expect(good.changes).toEqual([]);
    expect(good.reason).toBe('1 of 2 InfiniBand ports active, MLNX_OFED_LINUX-5.8-3.0.7.0');
  });
});
