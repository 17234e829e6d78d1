// mofed_install flavor: doca — the plan on recorded host outputs (the facts command's stdout as an
// Ubuntu and a RHEL host print it), and the exact host commands it would run.
import { describe, expect, it } from 'vitest';
import { docaInstallCommand, docaRelease, kmodProblem, parseDocaFacts, profileSpec } from '../../src/modules/lib/doca.js';
import { parseMofedFacts } from '../../src/modules/lib/mofed.js';
import { mofedInstall } from '../../src/modules/mofed-install.js';
import { makePlanContext } from '../support/module-host.js';

const ubuntu = (extra: string) => `kernel=5.15.0-1073-azure\narch=x86_64\n${extra}os_id=ubuntu\nos_version_id=22.04\nos_id_like=debian\nkernel_sources=no\ndownloader=curl\npm=apt\n`;
const rhel = (extra: string) => `kernel=4.18.0-513.el8.x86_64\narch=x86_64\n${extra}os_id=almalinux\nos_version_id=8.8\nos_id_like=rhel centos fedora\nkernel_sources=yes\ndownloader=curl\npm=dnf\n`;
const MLNX = 'installed=5.8-3.0.7.0\nbanner=MLNX_OFED_LINUX-5.8-3.0.7.0:\n';
const DOCA_OFED_INFO = 'installed=24.10-1.1.4\nbanner=OFED-internal-24.10-1.1.4:\n';

const facts = (stdout: string) => ({ platform: 'linux' as const, ...parseMofedFacts(stdout), doca: parseDocaFacts(stdout) });
const plan = (args: Record<string, unknown>, stdout: string) => mofedInstall.plan({ flavor: 'doca', version: '2.9.1', ...args } as never, facts(stdout), makePlanContext());

describe('DOCA facts', () => {
  it('reads installed profiles from dpkg-query and rpm lines, ignoring removed ones', () => {
    const f = parseDocaFacts('pm=apt\nprofile=doca-ofed\tii \t2.9.1-1\nprofile=doca-all\trc \t2.8.0-1\nuninstaller=yes\n');
    expect(f).toEqual({ pm: 'apt', profiles: { 'doca-ofed': '2.9.1-1' }, uninstaller: true });
    expect(parseDocaFacts('pm=dnf\nprofile=doca-roce\tii \t2.9.1-1.el8\n').profiles).toEqual({ 'doca-roce': '2.9.1-1.el8' });
    expect(docaRelease('2.9.1-1.el8')).toBe('2.9.1');
    expect(docaRelease('1:2.10.0-3')).toBe('2.10.0');
  });
});

describe('DOCA plan', () => {
  it('installs the profile with the package manager on a host without OFED', () => {
    const p = plan({}, ubuntu(''));
    expect(p.failed).toBeUndefined();
    expect(p.changes).toEqual([{ flavor: 'doca', pm: 'apt', profile: 'doca-ofed', version: '2.9.1' }]);
    expect(p.reason).toBe("install DOCA-OFED 2.9.1 (apt install doca-ofed=2.9.1*)");
    expect(p.diff).toEqual([{ kind: 'fields', label: 'OFED', fields: [{ key: 'stack', before: '(none)', after: 'DOCA-OFED 2.9.1 (doca-ofed)' }] }]);
    expect(plan({ profile: 'doca-roce' }, rhel('')).reason).toBe('install DOCA-OFED 2.9.1 (dnf install doca-roce-2.9.1)');
  });

  it('is ok with the reason when the requested release is installed', () => {
    const p = plan({}, ubuntu(DOCA_OFED_INFO) + 'profile=doca-ofed\tii \t2.9.1-1\n');
    expect(p.changes).toEqual([]);
    expect(p.reason).toBe('DOCA-OFED 2.9.1 is already installed (doca-ofed 2.9.1-1; ofed_info -s: OFED-internal-24.10-1.1.4:)');
    expect(plan({ force: true }, ubuntu(DOCA_OFED_INFO) + 'profile=doca-ofed\tii \t2.9.1-1\n').changes).toHaveLength(1);
  });

  it('upgrades another release with a diff', () => {
    const p = plan({}, rhel(DOCA_OFED_INFO) + 'profile=doca-ofed\tii \t2.8.0-1.el8\n');
    expect(p.changes).toEqual([{ flavor: 'doca', pm: 'dnf', profile: 'doca-ofed', version: '2.9.1', previous: '2.8.0' }]);
    expect(p.reason).toBe('upgrade DOCA-OFED 2.8.0 → 2.9.1 (dnf install doca-ofed-2.9.1)');
    expect(p.diff?.[0]).toMatchObject({ fields: [{ key: 'stack', before: 'DOCA-OFED 2.8.0 (doca-ofed)', after: 'DOCA-OFED 2.9.1 (doca-ofed)' }] });
  });

  it('refuses to replace MLNX_OFED unless replace_mlnx is set', () => {
    const host = ubuntu(MLNX) + 'uninstaller=yes\n';
    expect(plan({}, host)).toMatchObject({
      changes: [],
      failed: 'remove MLNX_OFED 5.8-3.0.7.0 (ofed_uninstall.sh), install DOCA-OFED 2.9.1 (apt install doca-ofed=2.9.1*): refused, this would remove the installed MLNX_OFED driver; set replace_mlnx: true to migrate',
    });
    const p = plan({ replace_mlnx: true }, host);
    expect(p.failed).toBeUndefined();
    expect(p.reason).toBe('remove MLNX_OFED 5.8-3.0.7.0 (ofed_uninstall.sh), install DOCA-OFED 2.9.1 (apt install doca-ofed=2.9.1*)');
    expect(p.changes[0]).toMatchObject({ removeMlnx: '5.8-3.0.7.0' });
    expect(plan({ replace_mlnx: true }, ubuntu(MLNX)).failed).toBe('MLNX_OFED 5.8-3.0.7.0 is installed but /usr/sbin/ofed_uninstall.sh is missing: remove it by hand first');
  });

  it('refuses the reverse, DOCA-OFED → MLNX_OFED, unless replace_mlnx is set', () => {
    const host = ubuntu(DOCA_OFED_INFO) + 'profile=doca-ofed\tii \t2.9.1-1\n';
    const mlnx = (args: Record<string, unknown>) => mofedInstall.plan({ version: '5.8-3.0.7.0', ...args } as never, facts(host), makePlanContext());
    expect(mlnx({}).failed).toBe('remove DOCA-OFED 2.9.1 (apt remove doca-ofed), install MLNX_OFED 5.8-3.0.7.0: refused, this would remove the installed DOCA-OFED driver; set replace_mlnx: true to switch back');
    const p = mlnx({ replace_mlnx: true, flavor: 'mlnx' });
    expect(p.failed).toBeUndefined();
    expect(p.reason).toMatch(/^remove DOCA-OFED 2\.9\.1 \(DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=60 purge --autoremove doca-ofed\), then download /);
    expect(p.changes[0]).toMatchObject({ removeDoca: { pm: 'apt', packages: ['doca-ofed'], version: '2.9.1' } });
  });

  it('rejects arguments of the other flavor and versions that are not DOCA releases', () => {
    expect(plan({ base_url: 'https://mirror/doca', add_kernel_support: false }, ubuntu('')).failed).toBe(
      'add_kernel_support belong to flavor: mlnx (the MLNX_OFED tarball installer); flavor: doca installs with the package manager from the doca-host repository',
    );
    expect(plan({ version: '5.8-3.0.7.0' }, ubuntu('')).failed).toBe('version 5.8-3.0.7.0 is not a DOCA release (such as 2.9.1); it looks like an MLNX_OFED version: use flavor: mlnx');
    expect(mofedInstall.plan({ version: '5.8-3.0.7.0', profile: 'doca-all' } as never, facts(ubuntu('')), makePlanContext()).failed).toBe('profile belongs to flavor: doca (set flavor: doca, or drop profile)');
    expect(plan({}, ubuntu('').replace('pm=apt\n', '')).failed).toBe('neither apt-get nor dnf/yum is on the host: DOCA-OFED installs through the package manager');
  });
});

describe('DOCA host commands', () => {
  it('refreshes the cache and installs the pinned profile in one command', () => {
    expect(profileSpec('apt', 'doca-all', '2.9.1')).toBe('doca-all=2.9.1*');
    const apt = docaInstallCommand({ flavor: 'doca', pm: 'apt', profile: 'doca-ofed', version: '2.9.1' });
    expect(apt).toContain('apt-get -q -o DPkg::Lock::Timeout=60 update || exit $?');
    expect(apt).toMatch(/install 'doca-ofed=2\.9\.1\*'$/);
    expect(apt).not.toContain('ofed_uninstall');
    const dnf = docaInstallCommand({ flavor: 'doca', pm: 'dnf', profile: 'doca-ofed', version: '2.9.1', removeMlnx: '5.8-3.0.7.0' });
    expect(dnf.split('\n')).toEqual([
      'export LC_ALL=C',
      '/usr/sbin/ofed_uninstall.sh --force || { echo "ofed_uninstall.sh failed (exit $?)" >&2; exit 210; }',
      'dnf -y -q --refresh install doca-ofed-2.9.1',
    ]);
  });
});

describe('kernel modules for the running kernel', () => {
  it('passes when every module is there', () => {
    expect(kmodProblem('kmod_kernel=5.15.0-1073-azure\nkmod=mlx5_core ok\nkmod=mlx5_ib ok\nkmod=ib_ipoib ok\nkmod=ib_uverbs ok\n')).toBeUndefined();
  });
  it('names the running kernel and the one the modules were built for', () => {
    const out = 'kmod_kernel=5.15.0-1075-azure\nkmod=mlx5_core missing /lib/modules/5.15.0-1073-azure/updates/dkms/mlx5_core.ko\nkmod=mlx5_ib missing /lib/modules/5.15.0-1073-azure/updates/dkms/mlx5_ib.ko\nkmod=ib_ipoib ok\nkmod=ib_uverbs ok\n';
    expect(kmodProblem(out)).toBe(
      'kernel modules mlx5_core, mlx5_ib are missing for the running kernel 5.15.0-1075-azure: they are built for 5.15.0-1073-azure, not for the running kernel 5.15.0-1075-azure; ' +
        'rebuild them for 5.15.0-1075-azure (DKMS: install the kernel headers and run dkms autoinstall; MLNX_OFED: add_kernel_support: true) or boot the kernel they were built for',
    );
    expect(kmodProblem('kmod_kernel=6.1.0\nkmod=mlx5_ib missing \n')).toMatch(/^kernel modules mlx5_ib are missing for the running kernel 6\.1\.0: none is built for the running kernel 6\.1\.0 \(nor any other\)/);
  });
});
