// The lab's pure parts: address plan and distro files.
import { describe, expect, it } from 'vitest';
import { hostAddress, ipToInt, SLOT_COUNT, slotPlan, vethName } from '../src/addressing.js';
import { distroFamily, distroLayer, LAB_DISTROS, waagentConf } from '../src/host-files.js';

const RANGE = [ipToInt('198.18.0.0'), ipToInt('198.19.255.255')];

/** The agent's own reading: `#` lines skipped, trailing comments stripped, the last assignment wins. */
function agentValue(conf: string, key: string): string | undefined {
  let value: string | undefined;
  for (const raw of conf.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (m && m[1] === key) value = m[2]!.trim();
  }
  return value;
}

const osRelease = (text: string) => Object.fromEntries(text.trim().split('\n').map((l) => l.split('=')).map(([k, v]) => [k, v!.replace(/^"|"$/g, '')]));

describe('address plan', () => {
  it('gives every slot its own /21 inside 198.18.0.0/15 and short interface names', () => {
    const seen = new Set<string>();
    for (let s = 0; s < SLOT_COUNT; s++) {
      const p = slotPlan(s);
      seen.add(p.guardRoute);
      for (const a of [p.gateway, p.isolatedGateway, hostAddress(p, 'main', 1000), hostAddress(p, 'isolated', 0)]) {
        expect(ipToInt(a)).toBeGreaterThanOrEqual(RANGE[0]!);
        expect(ipToInt(a)).toBeLessThanOrEqual(RANGE[1]!);
      }
      expect(vethName(p, 1011, 1).length).toBeLessThanOrEqual(15);
    }
    expect(seen.size).toBe(SLOT_COUNT);
    expect(slotPlan(3)).toMatchObject({ mainSubnet: '198.18.24.0/22', isolatedSubnet: '198.18.28.0/22', gateway: '198.18.24.1', guardRoute: '198.18.24.0/21' });
    expect(() => hostAddress(slotPlan(0), 'main', 1012)).toThrow(/at most 1012 hosts/);
    expect(() => slotPlan(SLOT_COUNT)).toThrow();
  });
});

describe('distro files', () => {
  it('ship waagent.conf with RDMA off as the agent reads it (commented out), per family', () => {
    for (const family of ['ubuntu', 'rhel', 'sles'] as const) {
      const conf = waagentConf(family);
      expect(conf).toContain('\n# OS.EnableRDMA=y\n');
      expect(agentValue(conf, 'OS.EnableRDMA')).toBeUndefined();
      expect(agentValue(conf, 'Extensions.Enabled')).toBe('y');
      expect(conf.includes('# OS.UpdateRdmaDriver=y')).toBe(family === 'ubuntu');
    }
    expect(agentValue(waagentConf('ubuntu'), 'ResourceDisk.MountPoint')).toBe('/mnt');
    expect(agentValue(waagentConf('rhel'), 'ResourceDisk.MountPoint')).toBe('/mnt/resource');
  });

  it('write os-release files with the ID and VERSION_ID facts are read from', () => {
    const ids = LAB_DISTROS.map((d) => {
      const o = osRelease(distroLayer(d).files['etc/os-release']!);
      return `${distroFamily(d)}:${o.ID} ${o.VERSION_ID}`;
    });
    expect(ids).toEqual(['ubuntu:ubuntu 22.04', 'ubuntu:ubuntu 20.04', 'rhel:rhel 8.6', 'rhel:rhel 8.7', 'rhel:almalinux 8.8', 'sles:sles 15.4']);
    expect(osRelease(distroLayer('almalinux8.8').files['etc/os-release']!).ID_LIKE).toBe('rhel centos fedora');
    expect(distroLayer('rhel8.7').hidden).toEqual(['etc/debian_version']);
  });
});
