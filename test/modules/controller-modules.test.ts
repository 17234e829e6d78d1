import { describe, expect, it } from 'vitest';
import { assert } from '../../src/modules/assert.js';
import { debug } from '../../src/modules/debug.js';
import { fail } from '../../src/modules/fail.js';
import { ping } from '../../src/modules/ping.js';
import { setFact } from '../../src/modules/set-fact.js';
import { registry } from '../../src/modules/registry.js';
import { runModule } from '../support/module-host.js';

const vars = { ofed: { version: '5.8-3.0.7.0' }, count: 3 };

describe('debug', () => {
  it('prints msg (default Hello world!) and var values', async () => {
    expect((await runModule(debug, {})).plan.result).toEqual({ msg: 'Hello world!' });
    expect((await runModule(debug, { msg: ['a', 1] })).plan.result).toEqual({ msg: ['a', 1] });
    expect((await runModule(debug, { var: 'ofed.version' }, { vars })).plan.result).toEqual({ 'ofed.version': '5.8-3.0.7.0' });
    expect((await runModule(debug, { var: 'missing' }, { vars })).plan.result).toEqual({ missing: 'VARIABLE IS NOT DEFINED!' });
    expect((await runModule(debug, { msg: 'x', var: 'y' })).msg).toMatch(/mutually exclusive/);
  });
});

describe('set_fact', () => {
  it('sets host variables, converting boolean-looking strings', async () => {
    const r = await runModule(setFact, { distro: 'ubuntu22.04', rdma: 'yes', n: 2, cacheable: true });
    expect(r.status).toBe('ok');
    expect(r.plan.setVars).toEqual({ distro: 'ubuntu22.04', rdma: true, n: 2 });
    expect(r.plan.result).toEqual({ ansible_facts: { distro: 'ubuntu22.04', rdma: true, n: 2 } });
  });

  it('refuses invalid variable names', async () => {
    expect((await runModule(setFact, { 'bad-name': 1 })).msg).toMatch(/The variable name 'bad-name' is not valid/);
  });
});

describe('assert and fail', () => {
  it('passes when all hold and reports the first failing condition', async () => {
    const ok = await runModule(assert, { that: ['count == 3', 'ofed.version is defined'] }, { vars });
    expect([ok.status, ok.plan.result?.msg]).toEqual(['ok', 'All assertions passed']);
    const bad = await runModule(assert, { that: ['count == 3', 'count > 5'], fail_msg: 'need more hosts' }, { vars });
    expect(bad.msg).toBe('need more hosts');
    expect(bad.plan.result).toMatchObject({ assertion: 'count > 5', evaluated_to: false });
    expect((await runModule(assert, { that: 'count == 4' }, { vars })).msg).toBe('Assertion failed');
  });

  it('fail always fails with its message', async () => {
    expect((await runModule(fail, {})).msg).toBe('Failed as requested from task');
    expect((await runModule(fail, { msg: 'unsupported distro' })).msg).toBe('unsupported distro');
  });
});

describe('ping', () => {
  it('answers pong after running a command on the host', async () => {
    expect((await runModule(ping, {})).plan.result).toEqual({ ping: 'pong' });
    expect((await runModule(ping, { data: 'crash' })).status).toBe('failed');
  });
});

describe('registry', () => {
  it('has every module of the engine issue under its own and ansible.builtin names', () => {
    const names = ['command', 'shell', 'copy', 'template', 'file', 'lineinfile', 'stat', 'service', 'systemd', 'debug', 'set_fact', 'assert', 'fail', 'wait_for', 'ping', 'setup'];
    for (const n of names) {
      expect(registry.get(n), n).toBeDefined();
      expect(registry.get(`ansible.builtin.${n}`), n).toBe(registry.get(n));
    }
    // As in Ansible: systemd is another name of systemd_service; service is its own module (it picks the init system).
    expect(registry.get('systemd')).toBe(registry.get('systemd_service'));
  });

  it('every module documents itself and has an object schema', () => {
    for (const m of registry.all()) {
      expect(m.meta.description.length, m.meta.name).toBeGreaterThan(10);
      expect((m.schema as { type?: string }).type, m.meta.name).toBe('object');
    }
  });
});
