import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateRenderer } from '../../bench/floor/render-template.js';
import { expectCheckChanged, expectRun, lineinfile, parseAppendHandler } from '../../bench/state/expected-state.js';
import type { HostState } from '../../bench/state/host-state.js';
import { reference, workloadDir } from '../support/bench-workload.js';

describe('bench expected state: lineinfile as Ansible does it', () => {
  it('replaces the last line the regexp matches', () => {
    expect(lineinfile('a=1\n# a=2\nb\n', '^#?\\s*a=', 'a=y')).toEqual({ text: 'a=1\na=y\nb\n', changed: true });
  });
  it('leaves a matching line that already is the line alone', () => {
    expect(lineinfile('x\na=y\n', '^#?\\s*a=', 'a=y')).toEqual({ text: 'x\na=y\n', changed: false });
  });
  it('appends when nothing matches, adding the missing final newline first', () => {
    expect(lineinfile('x\ny', '^a=', 'a=y')).toEqual({ text: 'x\ny\na=y\n', changed: true });
    expect(lineinfile('', '^a=', 'a=y')).toEqual({ text: 'a=y\n', changed: true });
  });
  it('does not append a line that is already present even if the regexp misses it', () => {
    expect(lineinfile('a = y\nOS.X=1\n', '^OS\\.Y=', 'a = y')).toEqual({ text: 'a = y\nOS.X=1\n', changed: false });
  });
  it('knows only the `echo WORD >> /path` handler', () => {
    expect(parseAppendHandler('echo restarted >> /var/lib/fleethost/restarts.log')).toEqual({ text: 'restarted\n', file: '/var/lib/fleethost/restarts.log' });
    expect(() => parseAppendHandler('systemctl restart waagent')).toThrow(/knows only that/);
  });
});

describe('bench expected state: the reference workload on a fresh host', async () => {
  const w = await reference();
  const stock = await readFile(join(workloadDir, 'files/waagent.conf'));
  const fresh: HostState = new Map([
    ['/etc/waagent.conf', { type: 'f', mode: '644', owner: '0:0', content: stock }],
    ['/var/lib/fleethost', { type: 'd', mode: '755', owner: '2000:2000' }],
  ]);
  const render = templateRenderer(w.templates, 'fleet', [{ name: 'linux-01', address: '198.18.8.10' }])('linux-01');

  it('first run: both RDMA lines enabled in place, three files and a directory created, handler once: changed=6', () => {
    const first = expectRun(fresh, w, render);
    expect(first.changed).toBe(6);
    expect(first.handlersRun).toBe(1);
    const conf = first.state.get('/etc/waagent.conf')!.content!.toString();
    expect(conf).toContain('\nOS.EnableRDMA=y\n');
    expect(conf).toContain('\nOS.UpdateRdmaDriver=y\n');
    expect(conf).not.toContain('# OS.EnableRDMA=y');
    expect(conf).toContain('# OS.CheckRdmaDriver=y');
    expect(conf.split('\n')).toHaveLength(stock.toString().split('\n').length);
    expect([...first.state.keys()].sort()).toEqual([
      '/etc/waagent.conf',
      '/var/lib/fleethost',
      '/var/lib/fleethost/agent.conf',
      '/var/lib/fleethost/motd',
      '/var/lib/fleethost/ofed',
      '/var/lib/fleethost/restarts.log',
    ]);
    expect(first.state.get('/var/lib/fleethost/ofed')).toEqual({ type: 'd', mode: '755', owner: '0:0' });
    expect(first.state.get('/var/lib/fleethost/restarts.log')!.content!.toString()).toBe('restarted\n');
    expect(first.state.get('/var/lib/fleethost/agent.conf')!.content!.toString()).toContain('hostname = linux-01\n');
    expect(first.state.get('/var/lib/fleethost')!.owner).toBe('2000:2000');
  });

  it('second run: nothing changes and the handler does not run', () => {
    const first = expectRun(fresh, w, render);
    const second = expectRun(first.state, w, render);
    expect(second.changed).toBe(0);
    expect(second.handlersRun).toBe(0);
    expect(second.state).toEqual(first.state);
  });

  it('check run: five tasks would change; the handler is not counted', () => {
    expect(expectCheckChanged(fresh, w, render)).toBe(5);
  });
});
