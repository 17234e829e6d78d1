import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { setup } from '../../src/modules/setup.js';
import { parseOsRelease, parsePosixFacts } from '../../src/modules/lib/os-facts.js';
import { parseWindowsFacts } from '../../src/modules/lib/windows-facts.js';
import { runModule } from '../support/module-host.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/modules/setup/${name}`, import.meta.url), 'utf8');

const distros: Array<[string, Record<string, unknown>]> = [
  ['ubuntu-22.04.txt', { distribution: 'Ubuntu', os_family: 'Debian', distribution_version: '22.04', distribution_major_version: '22', distribution_release: 'jammy' }],
  ['rhel-8.6.txt', { distribution: 'RedHat', os_family: 'RedHat', distribution_version: '8.6', distribution_major_version: '8', distribution_release: 'Ootpa' }],
  ['almalinux-8.7.txt', { distribution: 'AlmaLinux', os_family: 'RedHat', distribution_version: '8.7', distribution_major_version: '8', distribution_release: 'Stone Smilodon' }],
  ['rocky-8.6.txt', { distribution: 'Rocky', os_family: 'RedHat', distribution_version: '8.6', distribution_release: 'Green Obsidian' }],
  ['sles-15-sp4.txt', { distribution: 'SLES', os_family: 'Suse', distribution_version: '15.4', distribution_major_version: '15', distribution_release: '4' }],
  ['centos-7.txt', { distribution: 'CentOS', os_family: 'RedHat', distribution_version: '7.9', distribution_major_version: '7', distribution_release: 'Core', service_mgr: 'sysvinit', pkg_mgr: 'yum' }],
];

describe('setup: POSIX fact parser (fixtures)', () => {
  it.each(distros)('%s', (file, expected) => {
    expect(parsePosixFacts(fixture(file))).toMatchObject(expected);
  });

  it('reads uname, hostnames, user, memory and the package manager', () => {
    expect(parsePosixFacts(fixture('ubuntu-22.04.txt'))).toMatchObject({
      system: 'Linux',
      kernel: '5.15.0-1061-azure',
      kernel_version: '#70-Ubuntu SMP Wed Mar 27 17:21:15 UTC 2024',
      architecture: 'x86_64',
      nodename: 'hpc-node01',
      hostname: 'hpc-node01',
      fqdn: 'hpc-node01.internal.cloudapp.net',
      domain: 'internal.cloudapp.net',
      service_mgr: 'systemd',
      user_id: 'azureuser',
      user_uid: 1000,
      env: { HOME: '/home/azureuser', SHELL: '/bin/bash' },
      processor_vcpus: 120,
      memtotal_mb: 459275,
      swaptotal_mb: 0,
      pkg_mgr: 'apt',
    });
  });

  it('falls back to the node name when hostname -f gives nothing', () => {
    expect(parsePosixFacts(fixture('rhel-8.6.txt'))).toMatchObject({ fqdn: 'hbv3-0001', domain: '', hostname: 'hbv3-0001' });
  });

  it('unquotes os-release values', () => {
    expect(parseOsRelease('A="x \\"y\\""\nB=\'z\'\nC=plain\n# comment')).toEqual({ A: 'x "y"', B: 'z', C: 'plain' });
  });
});

describe('setup: Windows fact parser (fixture)', () => {
  it('maps the CIM answer to Ansible Windows fact names', () => {
    expect(parseWindowsFacts(`noise\n${fixture('windows-2022.json')}`)).toEqual({
      os_family: 'Windows',
      system: 'Win32NT',
      distribution: 'Microsoft Windows Server 2022 Datacenter',
      os_name: 'Microsoft Windows Server 2022 Datacenter',
      distribution_version: '10.0.20348.0',
      distribution_major_version: '10',
      kernel: '10.0.20348.0',
      architecture: '64-bit',
      hostname: 'HV-HOST01',
      nodename: 'HV-HOST01.contoso.local',
      fqdn: 'HV-HOST01.contoso.local',
      domain: 'contoso.local',
      hyperv_present: true,
      os_product_type: 'server',
      memtotal_mb: 524288,
      processor_vcpus: 96,
    });
  });

  it('fails clearly without JSON', () => {
    expect(() => parseWindowsFacts('Get-CimInstance : Access denied')).toThrow(/no JSON object/);
  });
});

describe('setup on this machine (local connection)', () => {
  it('gathers facts in one command and filters them', async () => {
    const osr = parseOsRelease(readFileSync('/etc/os-release', 'utf8'));
    const r = await runModule(setup, {});
    expect(r.status).toBe('ok');
    expect(r.plan.facts).toMatchObject({ system: 'Linux', architecture: process.arch === 'x64' ? 'x86_64' : expect.any(String) });
    expect((r.plan.facts?.distribution_version as string).startsWith(osr.VERSION_ID ?? '')).toBe(true);
    const filtered = await runModule(setup, { filter: 'ansible_distribution*' });
    expect(Object.keys(filtered.plan.facts ?? {}).sort()).toEqual([
      'distribution',
      'distribution_major_version',
      'distribution_release',
      'distribution_version',
    ]);
  });
});
