import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/contract/events.js';
import { createTextReporter } from '../../../src/engine/report/index.js';
import { feed, loc, result, sink, stats, task } from '../../support/report-events.js';

const LONG = 'hpc-node-with-a-long-name-017.cluster.example';

function run(events: RunEvent[], opts: { verbosity?: number; diff?: boolean; color?: boolean } = {}): string {
  const { out, text } = sink();
  const r = createTextReporter(out, { verbosity: opts.verbosity ?? 0, diff: opts.diff ?? false, color: opts.color ?? false });
  feed(r, events);
  return text();
}

const start = (check = false): RunEvent[] => [
  { type: 'playbook_start', path: 'site.yml', checkMode: check, diffMode: true },
  { type: 'play_start', playId: 'p1', name: 'Configure HPC nodes', loc, hosts: ['web01', LONG] },
];

describe('text reporter', () => {
  it('prints banners, host lines, fatal lines, ignoring, loops, delegation, handlers and an aligned recap', () => {
    const t1 = task('t1', 'Install packages', { role: 'base' });
    const t2 = task('t2', 'Write config', { module: 'copy' });
    const t3 = task('t3', 'Users');
    const t4 = task('t4', '', { module: 'ping' });
    const h1 = task('h1', 'restart agent', { isHandler: true, module: 'service' });
    const text = run([
      ...start(),
      { type: 'task_start', task: t1, hosts: ['web01', LONG] },
      { type: 'host_result', task: t1, host: 'web01', result: result('changed') },
      { type: 'host_result', task: t1, host: LONG, result: result('ok', { delegatedTo: 'localhost' }) },
      { type: 'task_start', task: t2, hosts: ['web01', LONG] },
      { type: 'host_result', task: t2, host: 'web01', result: result('failed', { msg: 'Destination /etc not writable', data: { changed: false, rc: 1, stderr: 'Permission denied', stdout: '', stdout_lines: [] }, ignored: true }) },
      { type: 'host_result', task: t2, host: LONG, result: result('unreachable', { msg: 'ssh: connect to 198.18.0.7 port 22: timed out' }) },
      { type: 'task_start', task: t3, hosts: ['web01'] },
      {
        type: 'host_result', task: t3, host: 'web01',
        result: result('failed', { items: [{ label: 'alice', ...result('ok') }, { label: 'bob', ...result('changed') }, { label: 'carol', ...result('skipped') }, { label: 'dave', ...result('failed', { msg: 'no such group', data: { changed: false } }) }] }),
      },
      { type: 'task_start', task: t4, hosts: ['web01'] },
      { type: 'host_result', task: t4, host: 'web01', result: result('skipped', { reason: 'Conditional result was False' }) },
      { type: 'warning', message: 'deprecated key', host: 'web01', loc },
      { type: 'task_start', task: h1, hosts: ['web01'] },
      { type: 'host_result', task: h1, host: 'web01', result: result('changed') },
      { type: 'play_end', playId: 'p1' },
      { type: 'recap', stats: { web01: stats({ ok: 2, changed: 2, failed: 1, skipped: 1, ignored: 1 }), [LONG]: stats({ ok: 1, unreachable: 1 }) } },
    ]);
    expect(text).toBe(
      [
        '',
        'PLAY [Configure HPC nodes] *****************************************************',
        '',
        'TASK [base : Install packages] *************************************************',
        'changed: [web01]',
        `ok: [${LONG} -> localhost]`,
        '',
        'TASK [Write config] ************************************************************',
        'fatal: [web01]: FAILED! => {"changed": false, "msg": "Destination /etc not writable", "rc": 1, "stderr": "Permission denied"}',
        '...ignoring',
        `fatal: [${LONG}]: UNREACHABLE! => {"changed": false, "msg": "ssh: connect to 198.18.0.7 port 22: timed out", "unreachable": true}`,
        '',
        'TASK [Users] *******************************************************************',
        'ok: [web01] => (item=alice)',
        'changed: [web01] => (item=bob)',
        'skipping: [web01] => (item=carol)',
        'failed: [web01] (item=dave) => {"changed": false, "msg": "no such group"}',
        '',
        'TASK [ping] ********************************************************************',
        'skipping: [web01]',
        '[WARNING]: [web01]: site.yml:3:5: deprecated key',
        '',
        'RUNNING HANDLER [restart agent] ************************************************',
        'changed: [web01]',
        '',
        'PLAY RECAP *********************************************************************',
        `${LONG} : ok=1    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0`,
        `web01${' '.repeat(LONG.length - 5)} : ok=2    changed=2    unreachable=0    failed=1    skipped=1    rescued=0    ignored=1`,
        '',
      ].join('\n') + '\n',
    );
  });

  it('uses Ansible\'s 26-column host field for short names and says when it was a check run', () => {
    const text = run([...start(true), { type: 'recap', stats: { web01: stats({ ok: 12, changed: 3 }) } }]);
    expect(text).toContain(
      ['', `PLAY RECAP [CHECK MODE: no changes were made] ${'*'.repeat(34)}`, 'web01                      : ok=12   changed=3    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0'].join('\n'),
    );
  });

  it('renders diffs before the result line when --diff is on, and not otherwise', () => {
    const t = task('t', 'waagent.conf', { module: 'lineinfile' });
    const events: RunEvent[] = [
      ...start(),
      { type: 'task_start', task: t, hosts: ['web01'] },
      { type: 'host_result', task: t, host: 'web01', result: result('changed', { diff: [{ kind: 'text', path: '/etc/waagent.conf', before: '# OS.EnableRDMA=y\n', after: 'OS.EnableRDMA=y\n' }] }) },
    ];
    expect(run(events, { diff: true })).toContain(
      ['--- before: /etc/waagent.conf', '+++ after: /etc/waagent.conf', '@@ -1,1 +1,1 @@', '-# OS.EnableRDMA=y', '+OS.EnableRDMA=y', 'changed: [web01]'].join('\n'),
    );
    expect(run(events, { diff: false })).not.toContain('EnableRDMA');
  });

  it('never prints the data, msg, diff or item labels of a no_log result', () => {
    const t = task('t', 'set password');
    const secret = 'hunter2-secret';
    const noLog = (status: 'failed' | 'changed') =>
      result(status, { noLog: true, msg: `bad ${secret}`, data: { stdout: secret, changed: status === 'changed' }, warnings: [secret], diff: [{ kind: 'text', path: '/etc/shadow', before: 'x', after: secret }], items: [{ label: secret, ...result('changed') }] });
    for (const verbosity of [0, 1, 3]) {
      const text = run(
        [...start(), { type: 'task_start', task: t, hosts: ['web01', 'web02'] }, { type: 'host_result', task: t, host: 'web01', result: noLog('failed') }, { type: 'host_result', task: t, host: 'web02', result: noLog('changed') }],
        { verbosity, diff: true },
      );
      expect(text).not.toContain(secret);
      expect(text).toContain(`fatal: [web01]: FAILED! => ${verbosity > 2 ? '{\n    "censored"' : '{"censored"'}: "the output has been hidden due to the fact that 'no_log: true' was specified for this result"`);
      expect(text).toContain(verbosity ? 'changed: [web02] => {' : 'changed: [web02]\n');
    }
  });

  it('prints module output with -v and debug output always', () => {
    const t = task('t', 'uname', { module: 'command' });
    const d = task('d', 'show', { module: 'ansible.builtin.debug' });
    const events: RunEvent[] = [
      ...start(),
      { type: 'task_start', task: t, hosts: ['web01'] },
      { type: 'host_result', task: t, host: 'web01', result: result('changed', { data: { changed: true, rc: 0, stdout: '6.5.0-azure', stderr: '', stdout_lines: ['6.5.0-azure'], cmd: ['uname', '-r'] } }) },
      { type: 'task_start', task: d, hosts: ['web01'] },
      { type: 'host_result', task: d, host: 'web01', result: result('ok', { data: { changed: false, msg: 'kernel 6.5.0-azure' } }) },
    ];
    const quiet = run(events);
    expect(quiet).toContain('changed: [web01]\n');
    expect(quiet).toContain('ok: [web01] => {\n    "msg": "kernel 6.5.0-azure"\n}\n');
    expect(run(events, { verbosity: 1 })).toContain('changed: [web01] => {"changed": true, "cmd": ["uname", "-r"], "rc": 0, "stderr": "", "stdout": "6.5.0-azure"}\n');
  });

  it('explains check-mode skips and lists handlers left pending by an interrupt', () => {
    const t = task('t', 'reboot if needed');
    const text = run([
      ...start(true),
      { type: 'task_start', task: t, hosts: ['web01'] },
      { type: 'host_result', task: t, host: 'web01', result: result('skipped', { checkMode: true, reason: "undetermined in check mode: 'ofed.stdout' comes from a skipped task" }) },
      { type: 'recap', stats: { web01: stats({ skipped: 1 }) }, interrupted: true, pendingHandlers: { web01: ['restart openibd', 'restart azure agent'] } },
    ]);
    expect(text).toContain(`skipping: [web01] => {"changed": false, "skip_reason": "undetermined in check mode: 'ofed.stdout' comes from a skipped task"}`);
    expect(text).toContain('[WARNING]: the run was interrupted; hosts stopped where they were');
    // Under --check nothing was journaled: the advice says what a real run would run.
    expect(text).toContain('HANDLERS A REAL RUN WOULD RUN (notified, but this check ended before they ran):\n  web01: restart openibd, restart azure agent\n');
    expect(text).not.toContain('run the play again');
  });

  it('lists handlers a real run left pending, with the advice to run again', () => {
    const text = run([...start(false), { type: 'recap', stats: { web01: stats({ ok: 1 }) }, interrupted: true, pendingHandlers: { web01: ['restart openibd'] } }]);
    expect(text).toContain('NOTIFIED HANDLERS THAT DID NOT RUN (run the play again, or use --force-handlers):\n  web01: restart openibd\n');
  });

  it('says in check mode what a real run would do, in the plan\'s words', () => {
    const t = task('t', 'agent', { module: 'service' });
    const events: RunEvent[] = [
      ...start(true),
      { type: 'task_start', task: t, hosts: ['web01'] },
      { type: 'host_result', task: t, host: 'web01', result: result('changed', { checkMode: true, reason: 'restart walinuxagent' }) },
    ];
    expect(run(events)).toContain('changed: [web01] (would restart walinuxagent)\n');
    expect(run(events, { verbosity: 1 })).not.toContain('(would');
  });

  it('re-prints the task banner when results of another task arrive (free strategy)', () => {
    const a = task('a', 'first');
    const b = task('b', 'second');
    const text = run([
      ...start(),
      { type: 'task_start', task: a, hosts: ['web01', 'web02'] },
      { type: 'host_result', task: a, host: 'web01', result: result('ok') },
      { type: 'task_start', task: b, hosts: ['web01'] },
      { type: 'host_result', task: a, host: 'web02', result: result('ok') },
    ]);
    expect(text.match(/TASK \[first\]/g)).toHaveLength(2);
  });

  it('colours status words like Ansible when colour is on', () => {
    const t = task('t', 'x');
    const text = run([...start(), { type: 'task_start', task: t, hosts: ['a'] }, { type: 'host_result', task: t, host: 'a', result: result('changed') }], { color: true });
    expect(text).toContain('\x1b[33mchanged: [a]\x1b[0m');
  });
});
