// Holds: dpkg selections parsed from dpkg, dnf.conf excludes edited in [main] only, apt's report of
// held packages a command would change.
import { describe, expect, it } from 'vitest';
import { dpkgSelections, parseSelection } from '../../src/modules/dpkg-selections.js';
import { parseHeldChanges } from '../../src/modules/lib/apt-output.js';
import { dnfErrorMessage } from '../../src/modules/lib/dnf-output.js';
import { dnfExcludes, packageHold, withExcludes } from '../../src/modules/package-hold.js';

const planCtx = {} as never;
const CONF = '[main]\ngpgcheck=1\nbest=True\n\n[other]\nexclude=x\n';

describe('dpkg_selections', () => {
  it('reads the selection dpkg reports and plans only a change', () => {
    expect(parseSelection('fleetlab-hello\t\t\t\t\thold\n', 'fleetlab-hello')).toBe('hold');
    expect(parseSelection('', 'fleetlab-hello')).toBe('not present');
    expect(dpkgSelections.plan({ name: 'a', selection: 'hold' }, { selection: 'hold' }, planCtx).changes).toEqual([]);
    expect(dpkgSelections.plan({ name: 'a', selection: 'hold' }, { selection: 'install' }, planCtx).changes).toEqual([{ name: 'a', selection: 'hold' }]);
    expect(dpkgSelections.plan({ name: 'a', selection: 'hold' }, { selection: 'not present' }, planCtx).failed).toBe("Failed to find package 'a' to perform selection 'hold'.");
  });
});

describe('package_hold', () => {
  it('adds names to [main] excludepkgs and takes them out again, leaving other sections alone', () => {
    const held = withExcludes(CONF, ['kernel*', 'fleetlab-hello'], true);
    expect(held).toBe('[main]\ngpgcheck=1\nbest=True\nexcludepkgs=kernel*,fleetlab-hello\n\n[other]\nexclude=x\n');
    expect(dnfExcludes(held)).toEqual(['kernel*', 'fleetlab-hello']);
    expect(withExcludes(held, ['fleetlab-hello'], true)).toBe(held);
    expect(withExcludes(held, ['kernel*', 'fleetlab-hello'], false)).toBe(CONF);
    expect(dnfExcludes(CONF)).toEqual([]);
  });

  it('plans apt-mark for what is not yet held, a dnf.conf edit on dnf hosts', () => {
    expect(packageHold.plan({ name: ['a', 'b'] }, { manager: 'apt', held: ['a'] }, planCtx).changes).toEqual([{ manager: 'apt', verb: 'hold', names: ['b'] }]);
    expect(packageHold.plan({ name: 'a', state: 'unheld' }, { manager: 'apt', held: [] }, planCtx).changes).toEqual([]);
    const p = packageHold.plan({ name: 'fleetlab-hello' }, { manager: 'dnf', conf: { path: '/etc/dnf/dnf.conf', text: CONF } }, planCtx);
    expect(p.changes).toEqual([{ manager: 'dnf', kind: 'write', path: '/etc/dnf/dnf.conf', text: withExcludes(CONF, ['fleetlab-hello'], true), mode: 0o644 }]);
  });

  it('names held packages apt or dnf would not change', () => {
    expect(parseHeldChanges('The following held packages will be changed:\n  fleetlab-hello\nThe following packages will be upgraded:\n  fleetlab-hello\n')).toEqual(['fleetlab-hello']);
    expect(dnfErrorMessage('All matches were filtered out by exclude filtering for argument: fleetlab-hello\nError: Unable to find a match: fleetlab-hello\n')).toMatch(/^fleetlab-hello: every version is excluded \(held\)/);
  });
});
