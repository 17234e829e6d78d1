// win_ping's plan: the answer, Ansible's 'crash', and a host that does not answer. Running it over
// WinRM is covered against the lab's Windows host in test/engine/connection/winrm/lab-host.test.ts.
import { describe, expect, it } from 'vitest';
import { winPing } from '../../src/modules/win-ping.js';
import { makePlanContext } from './helpers.js';

describe('win_ping plan', () => {
  it('answers with data, fails on crash or a broken host', () => {
    const p = (args: { data?: string }, ok = true) => winPing.plan(args, { ok, detail: 'x' }, makePlanContext());
    expect(p({}).result).toEqual({ ping: 'pong' });
    expect(p({ data: 'héllo' }).result).toEqual({ ping: 'héllo' });
    expect(p({ data: 'crash' }).failed).toBe('boom');
    expect(p({}, false).failed).toMatch(/did not answer/);
  });
});
