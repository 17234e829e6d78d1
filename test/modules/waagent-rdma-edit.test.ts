import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agentEnablesRdma } from '../../src/modules/lib/waagent-conf.js';
import { agentValue, setAgentKey, waagentRdma } from '../../src/modules/waagent-rdma.js';

const stock = readFileSync(new URL('../fixtures/modules/waagent/ubuntu-stock.conf', import.meta.url), 'utf8');
const enable = { key: 'OS.EnableRDMA', want: 'y' as const };
const disable = { key: 'OS.EnableRDMA', want: 'n' as const };

describe('agentValue (the agent parser)', () => {
  it('ignores commented lines, strips trailing comments and quotes, last wins', () => {
    expect(agentValue(stock, 'OS.EnableRDMA')).toBeUndefined();
    expect(agentValue('OS.EnableRDMA=y # on\n', 'OS.EnableRDMA')).toBe('y');
    expect(agentValue('OS.EnableRDMA="y"\n', 'OS.EnableRDMA')).toBe('y');
    expect(agentValue('OS.EnableRDMA=y\nOS.EnableRDMA=n\n', 'OS.EnableRDMA')).toBe('n');
    expect(agentValue('#OS.EnableRDMA=y\n', 'OS.EnableRDMA')).toBeUndefined();
  });
});

describe('setAgentKey', () => {
  it('replaces the stock commented line in place', () => {
    const out = setAgentKey(stock, enable);
    expect(agentValue(out, 'OS.EnableRDMA')).toBe('y');
    const changed = out.split('\n').filter((l, i) => l !== stock.split('\n')[i]);
    expect(changed).toEqual(['OS.EnableRDMA=y']);
    expect(out.split('\n').length).toBe(stock.split('\n').length);
  });

  it('sets an uncommented =n, keeping its trailing comment', () => {
    expect(setAgentKey('a=1\nOS.EnableRDMA=n # vendor default\nb=2\n', enable)).toBe('a=1\nOS.EnableRDMA=y # vendor default\nb=2\n');
  });

  it('fixes a later duplicate that would override', () => {
    const out = setAgentKey('OS.EnableRDMA=y\nx=1\nOS.EnableRDMA=n\n', enable);
    expect(agentValue(out, 'OS.EnableRDMA')).toBe('y');
    expect(out).toBe('OS.EnableRDMA=y\nx=1\nOS.EnableRDMA=y\n');
  });

  it('appends when no line mentions the key', () => {
    expect(setAgentKey('a=1\n', enable)).toBe('a=1\nOS.EnableRDMA=y\n');
    expect(setAgentKey('a=1', enable)).toBe('a=1\nOS.EnableRDMA=y\n');
  });

  it('rewrites the malformed "KEY = y" form the agent cannot parse', () => {
    expect(setAgentKey('OS.EnableRDMA = n\n', enable)).toBe('OS.EnableRDMA=y\n');
  });

  it('is idempotent', () => {
    const once = setAgentKey(stock, enable);
    expect(setAgentKey(once, enable)).toBe(once);
  });

  it('disables only where something enables it', () => {
    expect(setAgentKey(stock, disable)).toBe(stock);
    expect(setAgentKey('OS.EnableRDMA=Y\n', disable)).toBe('OS.EnableRDMA=n\n');
  });

  it('treats values case-insensitively like the agent', () => {
    expect(setAgentKey('OS.EnableRDMA=Y\n', enable)).toBe('OS.EnableRDMA=Y\n');
  });
});

describe('the current agent semantics', () => {
  const plan = (content: string, args: Record<string, unknown>) =>
    waagentRdma.plan(args as never, { path: '/etc/waagent.conf', exists: true, content }, { host: 'h', checkMode: false, facts: { os_family: 'Debian' }, evaluate: () => undefined, evaluateCondition: () => true });

  it('reads `y extra` as off and fixes it; reads ` KEY = "Y" # on` as on', () => {
    expect(agentEnablesRdma('OS.EnableRDMA=y extra\n')).toBe(false);
    expect(setAgentKey('OS.EnableRDMA=y extra\n', enable)).toBe('OS.EnableRDMA=y\n');
    expect(agentEnablesRdma('OS.EnableRDMA = "Y" # on\n')).toBe(true);
    expect(agentEnablesRdma(' # OS.EnableRDMA=y\n')).toBe(false);
    expect(agentEnablesRdma('OS.EnableRDMA=y\nOS.EnableRDMA=None\n')).toBe(false);
  });

  it('state: disabled turns off every switch that turns RDMA on, and says so', () => {
    const p = plan('OS.EnableRDMA=n\nOS.UpdateRdmaDriver=y\nOS.CheckRdmaDriver=Y # vendor\n', { state: 'disabled' });
    expect(p.changes[0].content).toBe('OS.EnableRDMA=n\nOS.UpdateRdmaDriver=n\nOS.CheckRdmaDriver=n # vendor\n');
    expect(p.reason).toBe('set OS.UpdateRdmaDriver=n, OS.CheckRdmaDriver=n in /etc/waagent.conf; restart walinuxagent to apply');
    expect(p.result).toMatchObject({ rdma_enabled: false });
    const again = plan(p.changes[0].content, { state: 'disabled' });
    expect(again.changes).toEqual([]);
    expect(again.reason).toContain('none of OS.EnableRDMA, OS.UpdateRdmaDriver, OS.CheckRdmaDriver as y');
    expect(plan('', { state: 'disabled', update_rdma_driver: true }).failed).toMatch(/cannot go with state: disabled/);
  });
});
