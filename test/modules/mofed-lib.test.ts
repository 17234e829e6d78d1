import { describe, expect, it } from 'vitest';
import { ACTUAL_SHA256_MARK, actualSha256, distroFamily, distroTag, explainExit, installerFlags, parseMofedFacts, tarballUrl } from '../../src/modules/lib/mofed.js';

const facts = (osId: string, osVersionId: string, osIdLike = '') => ({ osId, osVersionId, osIdLike });

describe('MLNX_OFED distro tags', () => {
  it.each([
    [facts('ubuntu', '22.04', 'debian'), 'ubuntu22.04', 'debian'],
    [facts('rhel', '8.6', 'fedora'), 'rhel8.6', 'rhel'],
    [facts('almalinux', '8.8', 'rhel centos fedora'), 'rhel8.8', 'rhel'],
    [facts('rocky', '8.7', 'rhel centos fedora'), 'rhel8.7', 'rhel'],
    [facts('sles', '15.4', 'suse'), 'sles15sp4', 'sles'],
  ])('%o → %s', (f, tag, family) => {
    expect(distroTag(f)).toBe(tag);
    expect(distroFamily(f)).toBe(family);
  });

  it('knows nothing of unknown systems', () => {
    expect(distroTag(facts('gentoo', '2.14'))).toBeUndefined();
    expect(distroFamily(facts('gentoo', '2.14'))).toBeUndefined();
  });
});

describe('tarball naming', () => {
  it('follows the download area layout', () => {
    expect(tarballUrl('https://mirror.example/ofed/', '5.8-3.0.7.0', 'ubuntu22.04', 'x86_64')).toBe(
      'https://mirror.example/ofed/MLNX_OFED-5.8-3.0.7.0/MLNX_OFED_LINUX-5.8-3.0.7.0-ubuntu22.04-x86_64.tgz',
    );
  });
});

describe('installer flags', () => {
  const base = { kernel: '5.15.0-1', distroOverridden: false, addKernelSupport: true, firmwareUpdate: false, force: false, extraArgs: [] };
  it('uses the Ubuntu flags of the Azure HPC image scripts', () => {
    expect(installerFlags({ ...base, family: 'debian', distro: 'ubuntu22.04' })).toEqual(['--add-kernel-support', '--skip-unsupported-devices-check', '--without-fw-update']);
  });
  it('uses the RHEL flags with the running kernel and --distro', () => {
    expect(installerFlags({ ...base, family: 'rhel', distro: 'rhel8.6', kernel: '4.18.0-372' })).toEqual([
      '--kernel', '4.18.0-372', '--kernel-sources', '/usr/src/kernels/4.18.0-372', '--add-kernel-support', '--skip-repo',
      '--skip-unsupported-devices-check', '--without-fw-update', '--distro', 'rhel8.6',
    ]);
  });
  it('updates firmware only when asked, forces and appends extra args', () => {
    const f = installerFlags({ ...base, family: 'debian', distro: 'ubuntu22.04', firmwareUpdate: true, force: true, extraArgs: ['-q'], distroOverridden: true });
    expect(f).not.toContain('--without-fw-update');
    expect(f.slice(-4)).toEqual(['--distro', 'ubuntu22.04', '--force', '-q']);
  });
});

describe('exit codes', () => {
  it('gives every documented code its own message', () => {
    const ctx = { tarball: 'x.tgz', checksum: 'sha256:ab' };
    const codes = [1, 2, 22, 28, 171, 172, 173, 174, 201, 202, 203, 204, 205, 99];
    const messages = codes.map((c) => explainExit(c, ctx).message);
    expect(new Set(messages).size).toBe(codes.length);
    expect(explainExit(0, ctx).ok).toBe(true);
    expect(explainExit(2, ctx).ok).toBe(true);
    expect(explainExit(174, ctx)).toEqual({ ok: false, message: expect.stringMatching(/non-OFED/) });
    expect(explainExit(202, ctx).message).toMatch(/checksum mismatch.*nothing was extracted/);
  });

  it('a checksum mismatch shows the expected and the actual sha256', () => {
    const actual = 'c0ffee'.padEnd(64, '0');
    const stderr = `tar: warning\n${ACTUAL_SHA256_MARK}${actual}\n`;
    expect(actualSha256(stderr)).toBe(actual);
    expect(explainExit(202, { tarball: 'x.tgz', checksum: `sha256:${'a'.repeat(64)}`, actual: actualSha256(stderr) }).message).toBe(
      `checksum mismatch for x.tgz: expected sha256:${'a'.repeat(64)}, got sha256:${actual}; nothing was extracted or installed`,
    );
    // No sum reported (no sha256sum on the host): still a mismatch, without inventing a value.
    expect(actualSha256('sha256sum: not found\n')).toBeUndefined();
    expect(explainExit(202, { tarball: 'x.tgz', checksum: 'sha256:ab' }).message).toBe('checksum mismatch for x.tgz: expected sha256:ab, got another sum; nothing was extracted or installed');
  });
});

describe('fact parsing', () => {
  it('parses the one-command fact output', () => {
    const f = parseMofedFacts('kernel=5.15.0-1\narch=x86_64\ninstalled=5.8-1.0.1.1\nbanner=MLNX_OFED_LINUX-5.8-1.0.1.1:\nos_id=ubuntu\nos_version_id=22.04\nos_id_like=debian\nkernel_sources=no\ndownloader=curl\n');
    expect(f).toEqual({ installed: '5.8-1.0.1.1', banner: 'MLNX_OFED_LINUX-5.8-1.0.1.1:', kernel: '5.15.0-1', arch: 'x86_64', osId: 'ubuntu', osVersionId: '22.04', osIdLike: 'debian', kernelSources: false, downloader: 'curl' });
    expect(parseMofedFacts('kernel=k\nos_id=rhel\n').installed).toBeUndefined();
  });
});
