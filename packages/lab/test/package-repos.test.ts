import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRepos, type RepoTree } from '../src/repos/build.js';
import { access } from 'node:fs/promises';
import { aptSources, dnfRepo, labRepoVars, repoLayer } from '../src/repos/host-config.js';

const run = promisify(execFile);
const ok = (cmd: string, args: string[]) => run(cmd, args).then(() => true, () => false);
let cache: string;
let tree: RepoTree;

beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'package-repos-test-'));
  tree = await ensureRepos(cache);
}, 120_000);
afterAll(async () => {
  await rm(cache, { recursive: true, force: true });
});

describe('lab package repositories', () => {
  it('are built once: a second call reuses the cached tree and key', async () => {
    const t0 = Date.now();
    const again = await ensureRepos(cache);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(again).toEqual(tree);
    expect((await readdir(cache)).filter((d) => !d.startsWith('.'))).toHaveLength(1);
  });

  it('serve no private key material', async () => {
    const files = await readdir(tree.www, { recursive: true });
    expect(files.some((f) => f.includes('gnupg') || f.endsWith('.key'))).toBe(false);
  });

  it('index two versions of the RDMA stack and the running kernel headers in the apt suites', async () => {
    const packages = await readFile(join(tree.www, 'apt/dists/jammy/main/binary-amd64/Packages'), 'utf8');
    const stanzas = packages.trim().split('\n\n').map((s) => Object.fromEntries(s.split('\n').filter((l) => !l.startsWith(' ')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)])));
    const versions = (name: string) => stanzas.filter((s) => s.Package === name).map((s) => s.Version).sort();
    expect(versions('rdma-core')).toEqual(['39.0-1', '44.0-2']);
    const kernel = (await run('uname', ['-r'])).stdout.trim();
    expect(versions(`linux-headers-${kernel}`)).toHaveLength(1);
    expect(stanzas.find((s) => s.Package === 'perftest' && s.Version === '4.5+0.20-1')?.Depends).toBe('libibverbs1, librdmacm1');
  });

  it('sign apt suites with the archive key, and the untrusted suites with a key it does not know', async () => {
    const inRelease = join(tree.www, 'apt/dists/jammy/InRelease');
    expect(await ok('gpgv', ['--keyring', tree.keyring, inRelease])).toBe(true);
    const release = join(tree.www, 'apt/dists/focal/Release');
    expect(await ok('gpgv', ['--keyring', tree.keyring, `${release}.gpg`, release])).toBe(true);
    expect(await ok('gpgv', ['--keyring', tree.keyring, join(tree.www, 'apt/dists/jammy-untrusted/InRelease')])).toBe(false);
  });

  it('sign rpm metadata and packages; the untrusted repository fails the check', async () => {
    const repomd = (r: string) => join(tree.www, 'rpm', r, 'repodata/repomd.xml');
    expect(await ok('gpgv', ['--keyring', tree.keyring, `${repomd('el8')}.asc`, repomd('el8')])).toBe(true);
    expect(await ok('gpgv', ['--keyring', tree.keyring, `${repomd('el8-untrusted')}.asc`, repomd('el8-untrusted')])).toBe(false);
    const db = await mkdtemp(join(tmpdir(), 'rpmdb-'));
    try {
      const rpmArgs = ['--dbpath', db];
      await run('rpm', [...rpmArgs, '--import', tree.armoredKey]);
      const rpm = (repo: string) => join(tree.www, 'rpm', repo, 'rdma-core-44.0-2.el8.noarch.rpm');
      const good = await run('rpm', [...rpmArgs, '-K', rpm('el8')]);
      expect(good.stdout).toMatch(/signatures OK/);
      const bad = await run('rpm', [...rpmArgs, '-K', rpm('el8-untrusted')]).then((r) => r.stdout, (e: { stdout: string }) => e.stdout);
      expect(bad).toMatch(/NOT OK|NOKEY/);
      const requires = (await run('rpm', ['-qp', '--requires', join(tree.www, 'rpm/el8/perftest-4.5-2.el8.noarch.rpm')])).stdout;
      expect(requires).toMatch(/^libibverbs$/m);
      expect(requires).not.toMatch(/\/bin\/sh/);
    } finally {
      await rm(db, { recursive: true, force: true });
    }
  });

  it('describe the repositories to hosts and the inventory', () => {
    expect(aptSources('http://198.18.0.1:8081', 'jammy')).toContain('Signed-By: /usr/share/keyrings/fleetlab-archive-keyring.gpg');
    expect(dnfRepo('http://198.18.0.1:8081')).toMatch(/^gpgcheck=1\nrepo_gpgcheck=1$/m);
    expect(labRepoVars('http://198.18.0.1:8081').lab_rpm_untrusted_repo_url).toBe('http://198.18.0.1:8081/rpm/el8-untrusted/');
  });

  it('configure Ubuntu-like hosts for apt only and RHEL-like hosts for dnf with an rpm database of their own', async () => {
    const url = 'http://198.18.0.1:8081';
    const ubuntu = await repoLayer('ubuntu22.04', tree, url);
    expect(ubuntu.files['etc/apt/sources.list.d/fleetlab.sources']).toBe(aptSources(url, 'jammy'));
    expect(ubuntu.files['usr/share/keyrings/fleetlab-archive-keyring.gpg']).toEqual(await readFile(tree.keyring));
    expect((await repoLayer('ubuntu20.04', tree, url)).files['etc/apt/sources.list.d/fleetlab.sources']).toContain('Suites: focal');
    // The machine's own Debian sources and its dnf must not show through on an Ubuntu-like host.
    const machineHas = (p: string) => access(`/${p}`).then(() => true, () => false);
    for (const p of ['usr/bin/dnf', 'etc/apt/sources.list.d/debian.sources']) expect(ubuntu.hidden.includes(p)).toBe(await machineHas(p));
    const rhel = await repoLayer('rhel8.6', tree, url);
    expect(rhel.files['etc/yum.repos.d/fleetlab.repo']).toBe(dnfRepo(url));
    expect(rhel.files['etc/rpm/macros']).toBe('%_dbpath /var/lib/rpm\n');
    expect(rhel.files['etc/pki/rpm-gpg/RPM-GPG-KEY-fleetlab']).toEqual(await readFile(tree.armoredKey));
    expect(Object.keys(rhel.files).some((f) => f.startsWith('etc/apt'))).toBe(false);
  });

  it('serve a doca-host .deb and .rpm per DOCA release carrying its signed local repository, and no DOCA package elsewhere', async () => {
    const host = join(tree.www, 'doca/DOCA_v2.9.1/host');
    const deb = join(host, 'doca-host_2.9.1-018000-24.10-ubuntu2204_amd64.deb');
    const rpm = join(host, 'doca-host-2.9.1-018000_24.10_rhel86.x86_64.rpm');
    const sums = await readFile(join(host, 'SHA256SUMS'), 'utf8');
    expect(sums).toContain(`${tree.docaHostSha256['2.9.1']!.deb}  doca-host_2.9.1-018000-24.10-ubuntu2204_amd64.deb`);
    expect(sums).toContain(`${tree.docaHostSha256['2.9.1']!.rpm}  doca-host-2.9.1-018000_24.10_rhel86.x86_64.rpm`);
    const debFiles = (await run('dpkg-deb', ['-c', deb])).stdout;
    expect(debFiles).toContain('./etc/apt/sources.list.d/doca.list');
    expect(debFiles).toContain('./usr/share/doca-host-2.9.1-018000-24.10/repo/doca-ofed_2.9.1-1_all.deb');
    expect(debFiles).toContain('./usr/share/doca-host-2.9.1-018000-24.10/repo/InRelease');
    expect(debFiles).not.toContain('doca-ofed_2.8.0');
    const rpmFiles = (await run('rpm', ['-qpl', rpm])).stdout;
    expect(rpmFiles).toContain('/etc/yum.repos.d/doca.repo');
    expect(rpmFiles).toContain('/usr/share/doca-host-2.9.1-018000-24.10/repo/repodata/repomd.xml.asc');
    expect(rpmFiles).toContain('/usr/share/doca-host-2.9.1-018000-24.10/repo/doca-ofed-2.9.1-1.el8.noarch.rpm');
    // A host gets DOCA only through a doca-host package, as from NVIDIA.
    expect(await readdir(join(tree.www, 'apt/pool/main'))).not.toContainEqual(expect.stringMatching(/^doca-/));
    expect(await readdir(join(tree.www, 'rpm/el8'))).not.toContainEqual(expect.stringMatching(/^doca-/));
  });
});
