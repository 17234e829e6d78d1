import { describe, expect, it } from 'vitest';
import { checkRecap, parseRecap } from '../../bench/recap.js';

const ansibleOutput = `
TASK [(10) no-op] **************************************************************
ok: [linux-01]
ok: [linux-02]

RUNNING HANDLER [restart waagent] **********************************************
changed: [linux-01]
changed: [linux-02]

PLAY RECAP *********************************************************************
linux-01                   : ok=11   changed=6    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   
linux-02                   : ok=10   changed=5    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0   

`;

describe('bench recap', () => {
  it('reads per-host counts from an Ansible-style PLAY RECAP (colours stripped)', () => {
    const r = parseRecap(ansibleOutput.replace('linux-01', '\x1b[0;33mlinux-01\x1b[0m'));
    expect(r.get('linux-01')).toEqual({ ok: 11, changed: 6, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });
    expect(r.get('linux-02')?.failed).toBe(1);
  });

  it('uses the last recap when a run prints several plays', () => {
    const r = parseRecap(`PLAY RECAP\nold : ok=1 changed=1\n\nPLAY RECAP\nnew : ok=2 changed=0 failed=0\n`);
    expect([...r.keys()]).toEqual(['new']);
  });

  it('reports failures, unreachable hosts, wrong changed counts, missing and unknown hosts', () => {
    const r = parseRecap(ansibleOutput + 'PLAY RECAP\nlinux-01 : ok=11 changed=6 unreachable=0 failed=0\nlinux-02 : ok=10 changed=5 unreachable=1 failed=1\nstray : ok=1 changed=0\n');
    const problems = checkRecap(r, ['linux-01', 'linux-02', 'linux-03'], () => 6);
    expect(problems).toEqual([
      'linux-02: failed=1',
      'linux-02: unreachable=1',
      'linux-02: changed=5, expected 6',
      'linux-03: missing from PLAY RECAP',
      'stray: in PLAY RECAP but not in the inventory',
    ]);
    expect(checkRecap(parseRecap('no recap here'), ['a'], () => 0)).toEqual(['no PLAY RECAP in the output']);
    expect(checkRecap(parseRecap('PLAY RECAP\na : ok=10 changed=0 unreachable=0 failed=0\n'), ['a'], () => 0)).toEqual([]);
  });
});
