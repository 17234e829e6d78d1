// The package modules' parsers and planners on outputs recorded from real apt-get/dpkg and dnf/rpm
// runs on the lab's Ubuntu-like and RHEL-like hosts (fixtures/packages).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apt, aptTargets, type AptCurrent } from '../../src/modules/apt.js';
import { dnf, dnfTargets } from '../../src/modules/dnf.js';
import { aptErrorMessage, dpkgFailure, parseAptSimulation, parseDpkgAudit, parseDpkgQuery } from '../../src/modules/lib/apt-output.js';
import { dnfErrorMessage, parseDnfTransaction, parseRpmQuery } from '../../src/modules/lib/dnf-output.js';
import { describeTransaction, emptyTransaction, rpmEvrCompare, rpmVercmp } from '../../src/modules/lib/package-tx.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/packages/${name}`, import.meta.url), 'utf8');
const planCtx = {} as never;

describe('apt output', () => {
  it('reads installs, upgrades and downgrades from apt-get -s', () => {
    const t = parseAptSimulation(fixture('apt-sim-install-upgrade-downgrade.txt'));
    expect(t.downgrade).toEqual([{ name: 'fleetlab-hello', from: '2.0-1', to: '1.0-1' }]);
    expect(t.upgrade.map((c) => c.name).sort()).toEqual(['ibverbs-utils', 'libibverbs1', 'rdma-core']);
    expect(t.upgrade.find((c) => c.name === 'rdma-core')).toEqual({ name: 'rdma-core', from: '39.0-1', to: '44.0-2' });
    expect(t.install).toEqual([]);
    expect(parseAptSimulation('Inst libibumad3 (44.0-2 fleetlab:jammy [all])\nConf libibumad3 (44.0-2 fleetlab:jammy [all])\n').install).toEqual([{ name: 'libibumad3', to: '44.0-2' }]);
    expect(t.remove).toEqual([]);
  });

  it('reads removals', () => {
    expect(parseAptSimulation(fixture('apt-sim-remove.txt')).remove).toEqual([
      { name: 'fleetlab-hello', from: '2.0-1' },
      { name: 'rdma-core', from: '39.0-1' },
    ]);
  });

  it('names a missing package, and the process holding the dpkg lock', () => {
    expect(aptErrorMessage(fixture('apt-missing.stderr'), fixture('apt-missing.stdout'))).toBe("No package matching 'nosuchpkg' is available");
    expect(aptErrorMessage(fixture('apt-lock.stderr'), fixture('apt-lock.stdout'))).toMatch(/^Could not get the dpkg lock \/var\/lib\/dpkg\/lock-frontend: it is held by process \d+ \(python3\)$/);
  });

  it('reads dpkg-query status lines and the half-configured packages dpkg --audit lists', () => {
    const q = parseDpkgQuery(fixture('dpkg-query.txt'));
    expect(q.get('rdma-core')).toEqual({ status: 'ii', version: '39.0-1' });
    expect(q.has('nosuch')).toBe(false);
    expect(parseDpkgAudit(fixture('dpkg-audit.txt'))).toEqual(['fleetlab-broken']);
    expect(dpkgFailure('dpkg: error processing package fleetlab-broken (--configure):\r\n installed fleetlab-broken package post-installation script subprocess returned error exit status 1\r\n')).toBe(
      'fleetlab-broken: installed fleetlab-broken package post-installation script subprocess returned error exit status 1 (dpkg left it half-configured)',
    );
  });
});

describe('apt planning', () => {
  const installed = Object.fromEntries(parseDpkgQuery(fixture('dpkg-query.txt')));
  it('acts only on what is missing or pinned differently (present), on everything for latest', () => {
    expect(aptTargets({ name: ['rdma-core', 'perftest'] }, installed)).toEqual({ verb: 'install', specs: ['perftest'] });
    expect(aptTargets({ name: 'rdma-core,fleetlab-hello=2.0-1' }, installed)).toEqual({ verb: 'none', specs: [] });
    expect(aptTargets({ name: ['rdma-core=44.0-2'] }, installed)).toEqual({ verb: 'install', specs: ['rdma-core=44.0-2'] });
    expect(aptTargets({ name: ['rdma-core'], state: 'latest' }, installed)).toEqual({ verb: 'install', specs: ['rdma-core'] });
    expect(aptTargets({ name: ['rdma-core', 'perftest'], state: 'absent' }, installed)).toEqual({ verb: 'remove', specs: ['rdma-core'] });
    expect(aptTargets({ name: ['perftest'], state: 'absent' }, installed)).toEqual({ verb: 'none', specs: [] });
  });

  const cur = (over: Partial<AptCurrent>): AptCurrent => ({ audit: [], interrupted: false, installed, needUpdate: false, tx: emptyTransaction(), verb: 'install', specs: ['x'], ...over });
  it('refuses a downgrade without allow_downgrade and a half-configured dpkg, naming the packages', () => {
    const tx = parseAptSimulation(fixture('apt-sim-install-upgrade-downgrade.txt'));
    expect(apt.plan({ name: 'fleetlab-hello=1.0-1' }, cur({ tx }), planCtx).failed).toBe('would downgrade fleetlab-hello (2.0-1 → 1.0-1): set allow_downgrade: true to allow it');
    const ok = apt.plan({ name: 'fleetlab-hello=1.0-1', allow_downgrade: true }, cur({ tx }), planCtx);
    expect(ok.changes).toEqual([{ update: false, verb: 'install', specs: ['x'], options: ['--allow-downgrades'], lockTimeout: 60 }]);
    expect(ok.reason).toContain('downgrade fleetlab-hello (2.0-1 → 1.0-1)');
    expect(apt.plan({ name: 'x' }, cur({ audit: ['fleetlab-broken'] }), planCtx).failed).toMatch(/^dpkg reports fleetlab-broken as not fully installed .*dpkg --configure -a/);
  });

  it('says why nothing needs doing', () => {
    const p = apt.plan({ name: ['rdma-core'] }, cur({ verb: 'none', specs: [] }), planCtx);
    expect(p.changes).toEqual([]);
    expect(p.reason).toBe('rdma-core already installed');
  });
});

describe('dnf output', () => {
  const installed = parseRpmQuery(fixture('rpm-query.txt'));
  it('reads rpm -q lines', () => {
    expect(installed.get('fleetlab-hello')).toEqual(['1.0-1.el8']);
    expect(installed.has('nosuch')).toBe(false);
  });

  it('reads the transaction table of dnf --assumeno, old versions from rpm', () => {
    const t = parseDnfTransaction(fixture('dnf-sim-install-upgrade-downgrade.txt'), installed);
    expect(t.upgrade).toEqual([{ name: 'fleetlab-hello', from: '1.0-1.el8', to: '2.0-1.el8' }]);
    expect(t.downgrade).toEqual([{ name: 'perftest', from: '4.5-2.el8', to: '4.5-0.el8' }]);
    const r = parseDnfTransaction(fixture('dnf-sim-remove.txt'), installed);
    expect(r.remove.map((c) => c.name).sort()).toEqual(['infiniband-diags', 'libibumad', 'libibverbs', 'librdmacm', 'perftest', 'rdma-core']);
    expect(describeTransaction(r)).toMatch(/^remove rdma-core \(44\.0-2\.el8\)/);
  });

  it('names a missing package and reports a failed GPG check as dnf says it', () => {
    expect(dnfErrorMessage(fixture('dnf-missing.txt'))).toBe("No package matching 'nosuchpkg' is available");
    expect(dnfErrorMessage(fixture('dnf-gpg.txt'))).toBe("Failed to download metadata for repo 'fleetlab-untrusted': repomd.xml GPG signature verification error: Bad GPG signature");
  });

  it('compares versions as rpm does', () => {
    expect(rpmVercmp('1.0', '1.0')).toBe(0);
    expect(rpmVercmp('1.10', '1.9')).toBe(1);
    expect(rpmVercmp('1.0a', '1.0')).toBe(1);
    expect(rpmVercmp('1.0~rc1', '1.0')).toBe(-1);
    expect(rpmVercmp('2.0', '2.0.1')).toBe(-1);
    expect(rpmVercmp('1a', '1.1')).toBe(-1);
    expect(rpmEvrCompare('1:1.0-1', '2.0-1')).toBe(1);
    expect(rpmEvrCompare('4.5-2.el8', '4.5')).toBe(0);
    expect(rpmEvrCompare('4.5-2.el8', '4.5-10.el8')).toBe(-1);
  });

  it('plans only unsatisfied specs, with >= compared to the installed version', () => {
    const inst = Object.fromEntries(installed);
    expect(dnfTargets({ name: ['fleetlab-hello >= 1.0', 'rdma-core', 'infiniband-diags'] }, inst, new Set(['rdma-core']))).toEqual({ verb: 'install', specs: ['infiniband-diags'] });
    expect(dnfTargets({ name: ['fleetlab-hello >= 2.0'] }, inst, new Set())).toEqual({ verb: 'install', specs: ['fleetlab-hello >= 2.0'] });
    expect(dnfTargets({ name: ['rdma-core', 'nosuch'], state: 'absent' }, inst, new Set(['rdma-core']))).toEqual({ verb: 'remove', specs: ['rdma-core'] });
    const tx = parseDnfTransaction(fixture('dnf-sim-install-upgrade-downgrade.txt'), installed);
    expect(dnf.plan({ name: 'perftest < 4.5-2' }, { installed: inst, tx, verb: 'install', specs: ['perftest < 4.5-2'] }, planCtx).failed).toBe(
      'would downgrade perftest (4.5-2.el8 → 4.5-0.el8): set allow_downgrade: true to allow it',
    );
  });
});

describe('package', () => {
  it("plans with the host's manager and carries its changes", async () => {
    const { packageModule } = await import('../../src/modules/package.js');
    const installed = Object.fromEntries(parseDpkgQuery(fixture('dpkg-query.txt')));
    const tx = parseAptSimulation(fixture('apt-sim-remove.txt'));
    const inner: AptCurrent = { audit: [], interrupted: false, installed, needUpdate: false, tx, verb: 'remove', specs: ['rdma-core', 'fleetlab-hello'] };
    const p = packageModule.plan({ name: ['rdma-core', 'fleetlab-hello'], state: 'absent' }, { manager: 'apt', inner }, planCtx);
    expect(p.changes).toEqual([{ manager: 'apt', inner: { update: false, verb: 'remove', specs: ['rdma-core', 'fleetlab-hello'], options: [], lockTimeout: 60 } }]);
    expect(p.reason).toBe('remove fleetlab-hello (2.0-1), rdma-core (39.0-1)');
  });
});
