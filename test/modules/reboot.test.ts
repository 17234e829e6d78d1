import { describe, expect, it } from 'vitest';
import { waitForHost } from '../../src/modules/lib/host-wait.js';
import { reboot, rebootCommand } from '../../src/modules/reboot.js';
import { waitForConnection } from '../../src/modules/wait-for-connection.js';
import { makeHostContext, runModule } from '../support/module-host.js';

describe('reboot (pure parts)', () => {
  it("builds Ansible's shutdown command: whole minutes of pre_reboot_delay and a quoted message", () => {
    expect(rebootCommand({})).toBe("shutdown -r 0 'Reboot initiated by Ansible'");
    expect(rebootCommand({ pre_reboot_delay: 150, msg: "driver's update" })).toBe("shutdown -r 2 'driver'\\''s update'");
    expect(rebootCommand({ reboot_command: 'systemctl reboot' })).toBe('systemctl reboot');
  });

  it('check mode plans the reboot with the boot id it read, and reboots nothing', async () => {
    const r = await runModule(reboot, { boot_time_command: 'echo 1234' }, { check: true });
    expect(r.status).toBe('changed');
    expect(r.plan.changes).toMatchObject([{ kind: 'reboot', bootId: '1234', testCommand: 'whoami', rebootTimeoutMs: 600_000 }]);
  });

  it('a context that cannot reconnect says so instead of waiting', async () => {
    const got = await waitForHost(makeHostContext(), { deadline: Date.now() + 1000, probe: async () => true });
    expect(got).toEqual({ ok: false, lastError: 'this task cannot reconnect to its host (delegate_to, or no connection pool)' });
    const r = await runModule(waitForConnection, { timeout: 1 });
    expect(r.msg).toBe('timed out waiting for ping module test (timeout=1): this task cannot reconnect to its host (delegate_to, or no connection pool)');
  });
});
