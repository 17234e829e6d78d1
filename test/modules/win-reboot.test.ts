// win_reboot plans (pure): the shutdown.exe command with its delay and quoted message, and the
// defaults the wait uses. On the lab host (a real restart): test/e2e/windows-reboot.test.ts.
import { describe, expect, it } from 'vitest';
import { BOOT_TIME_COMMAND, rebootCommand, winReboot } from '../../src/modules/win-reboot.js';
import { makePlanContext } from '../support/module-host.js';

describe('win_reboot plan', () => {
  it('restarts with shutdown.exe /r after pre_reboot_delay, with the message quoted for PowerShell', () => {
    expect(rebootCommand({})).toBe("shutdown.exe /r /t 2 /c 'Reboot initiated by Ansible'\nexit $LASTEXITCODE");
    expect(rebootCommand({ pre_reboot_delay: 0, msg: "it's time" })).toContain("/t 0 /c 'it''s time'");
  });

  it('always plans one restart from the boot time it read, with the timeouts in ms', () => {
    const p = winReboot.plan({ reboot_timeout: 30, connect_timeout: 5, post_reboot_delay: 1 }, { bootTime: '2025-01-01T00:00:00.0000000Z' }, makePlanContext());
    expect(p.changes).toEqual([{ kind: 'reboot', bootTime: '2025-01-01T00:00:00.0000000Z', command: rebootCommand({}), bootTimeCommand: BOOT_TIME_COMMAND,
      testCommand: 'whoami', rebootTimeoutMs: 30_000, connectTimeoutMs: 5000, postDelayMs: 1000 }]);
    expect(p.result).toEqual({ rebooted: true, elapsed: 0 });
  });
});
