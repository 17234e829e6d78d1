// mofed_install flavor doca with the doca-host repository package (src/url/base_url, checksum
// required by default) and hold: true, planned on recorded host facts.
import { describe, expect, it } from 'vitest';
import { docaDistro, docaHostFileName } from '../../src/modules/lib/doca-host.js';
import { parseDocaFacts } from '../../src/modules/lib/doca.js';
import { parseMofedFacts } from '../../src/modules/lib/mofed.js';
import { withHold, type HoldFacts } from '../../src/modules/lib/ofed-hold.js';
import { mofedInstall } from '../../src/modules/mofed-install.js';
import { makePlanContext } from '../support/module-host.js';

const ubuntu = (extra = '') => `kernel=5.15.0-1073-azure\narch=x86_64\n${extra}os_id=ubuntu\nos_version_id=22.04\nos_id_like=debian\nkernel_sources=no\ndownloader=curl\npm=apt\n`;
const rhel = (extra = '') => `kernel=4.18.0-513.el8.x86_64\narch=x86_64\n${extra}os_id=almalinux\nos_version_id=8.7\nos_id_like=rhel centos fedora\nkernel_sources=yes\ndownloader=curl\npm=dnf\n`;
const SUM = `sha256:${'ab'.repeat(32)}`;
const facts = (stdout: string, holds?: HoldFacts) => ({ platform: 'linux' as const, ...parseMofedFacts(stdout), doca: parseDocaFacts(stdout), ...(holds ? { holds } : {}) });
const plan = (args: Record<string, unknown>, stdout: string, holds?: HoldFacts) => mofedInstall.plan({ flavor: 'doca', version: '2.9.1', ...args } as never, facts(stdout, holds), makePlanContext());

describe('doca-host naming', () => {
  it('names the files as NVIDIA publishes them (no dot in the distro part)', () => {
    expect(docaHostFileName('2.8.0', 'ubuntu2204', 'apt')).toBe('doca-host_2.8.0-204000-24.07-ubuntu2204_amd64.deb');
    expect(docaHostFileName('2.8.0', 'rhel87', 'dnf')).toBe('doca-host-2.8.0-204000_24.07_rhel87.x86_64.rpm');
    expect(docaHostFileName('2.10.0', 'rhel95', 'dnf')).toBe('doca-host-2.10.0-093000_25.01_rhel95.x86_64.rpm');
    expect(docaDistro({ osId: 'almalinux', osVersionId: '8.7', osIdLike: 'rhel' })).toBe('rhel87');
    expect(docaDistro({ osId: 'sles', osVersionId: '15.4', osIdLike: 'suse' })).toBeUndefined();
    expect(docaHostFileName('9.9.9', 'ubuntu2204', 'apt')).toBeUndefined();
  });
});

describe('the doca-host package', () => {
  it('by base_url: the real file name under DOCA_v<release>/host, installed before the profile', () => {
    const p = plan({ base_url: 'http://mirror/doca/', checksum: SUM }, ubuntu());
    expect(p.failed).toBeUndefined();
    expect(p.reason).toBe('install DOCA-OFED 2.9.1 (http://mirror/doca/DOCA_v2.9.1/host/doca-host_2.9.1-018000-24.10-ubuntu2204_amd64.deb → dpkg -i, then apt install doca-ofed=2.9.1*)');
    const r = plan({ base_url: 'http://mirror/doca', checksum: SUM }, rhel());
    expect(r.reason).toContain('http://mirror/doca/DOCA_v2.9.1/host/doca-host-2.9.1-018000_24.10_rhel87.x86_64.rpm → rpm -U, then dnf install doca-ofed-2.9.1');
  });

  it('needs a checksum unless allow_unverified, one source, and a known file name', () => {
    expect(plan({ url: 'http://mirror/doca-host_2.9.1-018000-24.10-ubuntu2204_amd64.deb' }, ubuntu()).failed).toBe(
      'checksum is required for the doca-host repository package (sha256:<hex>, as published beside it); set allow_unverified: true to install it unchecked',
    );
    expect(plan({ url: 'http://mirror/doca-host_2.9.1-018000-24.10-ubuntu2204_amd64.deb', allow_unverified: true }, ubuntu()).failed).toBeUndefined();
    expect(plan({ url: 'http://m/x.deb', src: 'x.deb', checksum: SUM }, ubuntu()).failed).toBe('give the doca-host package by one of src, url or base_url, not src and url');
    expect(plan({ base_url: 'http://m', version: '2.11.0', checksum: SUM }, ubuntu()).failed).toMatch(/^the doca-host file name of DOCA 2\.11\.0 is not known .*: give url: or src:$/);
    expect(plan({ url: 'http://m/doca-host.rpm', checksum: SUM }, ubuntu()).failed).toBe("doca-host.rpm is not a package for this host's apt");
  });

  it('is skipped when doca-host of the release is installed already', () => {
    const p = plan({ base_url: 'http://m', checksum: SUM }, ubuntu('profile=doca-host\tii \t2.9.1-018000-24.10-ubuntu2204\n'));
    expect(p.reason).toBe('install DOCA-OFED 2.9.1 (apt install doca-ofed=2.9.1*)');
  });
});

describe('hold: true', () => {
  const holds = (held: string[]): HoldFacts => ({ pm: 'apt', candidates: ['doca-ofed', 'mlnx-ofed-kernel-utils', 'linux-image-5.15.0-1073-azure'], held });
  const installed = ubuntu('profile=doca-ofed\tii \t2.9.1-1\ninstalled=24.10-1.1.4\nbanner=OFED-internal-24.10-1.1.4:\n');

  it('holds after an install, or alone when the stack is there but not held, and is ok when held', () => {
    const first = plan({ hold: true }, ubuntu(), holds([]));
    expect(first.changes).toHaveLength(2);
    expect(first.reason).toBe('install DOCA-OFED 2.9.1 (apt install doca-ofed=2.9.1*), then hold the OFED packages and the running kernel (apt-mark hold)');
    const only = plan({ hold: true }, installed, holds(['doca-ofed']));
    expect(only.changes).toHaveLength(1);
    expect(only.reason).toBe('DOCA-OFED 2.9.1 is already installed (doca-ofed 2.9.1-1; ofed_info -s: OFED-internal-24.10-1.1.4:); hold mlnx-ofed-kernel-utils, linux-image-5.15.0-1073-azure (apt-mark hold)');
    const done = plan({ hold: true }, installed, holds(['doca-ofed', 'mlnx-ofed-kernel-utils', 'linux-image-5.15.0-1073-azure']));
    expect(done.changes).toEqual([]);
    expect(done.result).toMatchObject({ held: ['doca-ofed', 'mlnx-ofed-kernel-utils', 'linux-image-5.15.0-1073-azure'] });
  });

  it('leaves a failed plan alone, and refuses Windows', () => {
    expect(withHold({ changes: [], failed: 'no' }, holds([]))).toEqual({ changes: [], failed: 'no' });
    expect(plan({ hold: true }, ubuntu()).failed).toBe('hold: true needs apt or dnf on the host');
  });
});
