import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { agentValue, setAgentKey } from '../../src/modules/waagent-rdma.js';

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
