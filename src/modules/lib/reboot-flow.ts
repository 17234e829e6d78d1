// The reboot sequence shared by reboot (Linux) and win_reboot: run the platform's restart command,
// wait until the host answers with a different boot marker (boot id, boot time) rather than until
// some time passed, then until test_command succeeds, and gather facts again (a new boot).
import type { ApplyResult, HostContext } from '../../engine/contract/module.js';
import { UnreachableError } from '../../engine/contract/diagnostics.js';
import { setup } from '../setup.js';
import { pause, waitForHost } from './host-wait.js';

export interface RebootSteps {
  /** The full restart command as run on the host. */
  command: string;
  /** The boot marker read before the restart, and its name in messages ('boot id', 'boot time'). */
  before: string;
  markerName: string;
  bootMarkerCommand: string;
  testCommand: string;
  rebootTimeoutMs: number;
  connectTimeoutMs?: number;
  postDelayMs: number;
  /** The platform's reading of a command's stderr for messages (PowerShell's error records, or plain). */
  errorText: (stderr: string) => string;
}

/** Runs `command` and returns the first line it printed, or why it could not. */
export async function readBootMarker(ctx: HostContext, command: string, errorText: (stderr: string) => string): Promise<{ value?: string; error?: string }> {
  const r = await ctx.run(command);
  const value = r.stdout.trim();
  if (r.rc !== 0 || value === '') return { error: `${command}: ${errorText(r.stderr) || `exit code ${r.rc}`}` };
  return { value };
}

export async function rebootAndWait(ctx: HostContext, s: RebootSteps): Promise<ApplyResult> {
  const started = Date.now();
  try {
    const r = await ctx.run(s.command);
    if (r.rc !== 0) return { failed: `Reboot command failed. Error was: ${r.stderr.trim() || r.stdout.trim() || `exit code ${r.rc}`}` };
  } catch (e) {
    // The host may go down before the command's exit status makes it back: that is the point.
    if (!(e instanceof UnreachableError)) throw e;
  }
  const deadline = started + s.rebootTimeoutMs;
  const back = await waitForHost(ctx, {
    deadline,
    connectTimeoutMs: s.connectTimeoutMs,
    probe: async (h) => {
      const got = await readBootMarker(h, s.bootMarkerCommand, s.errorText);
      if (got.error) return got.error;
      return got.value !== s.before ? true : `the ${s.markerName} has not changed yet`;
    },
  });
  if (!back.ok) {
    throw new UnreachableError(`the host did not come back within reboot_timeout (${s.rebootTimeoutMs / 1000} s): ${back.lastError}`);
  }
  await pause(ctx, s.postDelayMs);
  const test = async (h: HostContext): Promise<true | string> => {
    const r = await h.run(s.testCommand);
    return r.rc === 0 ? true : `${s.testCommand}: ${s.errorText(r.stderr) || `exit code ${r.rc}`}`;
  };
  const first = await test(ctx).catch((e: Error) => e.message);
  const ready = first === true ? { ok: true as const } : await waitForHost(ctx, {
    deadline: Math.max(deadline, Date.now() + 1000),
    connectTimeoutMs: s.connectTimeoutMs,
    probe: test,
  });
  if (!ready.ok) return { failed: `Timed out waiting for post-reboot test command (timeout=${s.rebootTimeoutMs / 1000}): ${ready.lastError}` };
  // A new boot: what setup knows about the host (uptime, a new kernel, features now active) is refreshed.
  const gathered = setup.plan({}, await setup.read(ctx, {}), undefined as never);
  const elapsed = Math.round((Date.now() - started) / 1000);
  return { result: { rebooted: true, elapsed }, ...(gathered.facts ? { facts: gathered.facts } : {}) };
}
