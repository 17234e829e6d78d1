import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/engine/contract/diagnostics.js';
import { countResult, emptyStats } from '../../../src/engine/contract/stats.js';
import { exitCodeFor } from '../../../src/engine/run/stats.js';

describe('countResult (Ansible recap rules)', () => {
  it('counts changed tasks as ok too', () => {
    const s = emptyStats();
    countResult(s, { status: 'ok' });
    countResult(s, { status: 'changed' });
    countResult(s, { status: 'skipped' });
    expect(s).toMatchObject({ ok: 2, changed: 1, skipped: 1, failed: 0 });
  });

  it('counts an ignored failure as ok and ignored, a rescued one as rescued', () => {
    const s = emptyStats();
    countResult(s, { status: 'failed', ignored: true });
    countResult(s, { status: 'failed', rescued: true });
    countResult(s, { status: 'failed' });
    expect(s).toMatchObject({ ok: 1, ignored: 1, rescued: 1, failed: 1 });
  });

  it('counts unreachable, or ok+ignored under ignore_unreachable', () => {
    const s = emptyStats();
    countResult(s, { status: 'unreachable' });
    countResult(s, { status: 'unreachable', ignored: true });
    expect(s).toMatchObject({ unreachable: 1, ok: 1, ignored: 1 });
  });
});

describe('exitCodeFor', () => {
  it('prefers interrupted, then failed, then unreachable', () => {
    expect(exitCodeFor({ interrupted: true, failedHosts: 1, unreachableHosts: 1 })).toBe(ExitCode.interrupted);
    expect(exitCodeFor({ interrupted: false, failedHosts: 1, unreachableHosts: 1 })).toBe(ExitCode.hostFailed);
    expect(exitCodeFor({ interrupted: false, failedHosts: 0, unreachableHosts: 2 })).toBe(ExitCode.unreachable);
    expect(exitCodeFor({ interrupted: false, failedHosts: 0, unreachableHosts: 0 })).toBe(ExitCode.ok);
  });
});
