// win_reboot: restarts a Windows host (shutdown.exe /r, as ansible.windows.win_reboot does) and
// waits until it is back, which means its boot time (Win32_OperatingSystem LastBootUpTime) changed,
// not that some time passed; then until test_command succeeds. The WinRM connection is dropped and
// re-opened for each attempt (a connection from before the restart is dead), and facts are gathered
// again. A host that does not come back within reboot_timeout is unreachable.
import Type, { type Static } from 'typebox';
import type { HostContext, Module } from '../engine/contract/module.js';
import { UnreachableError } from '../engine/contract/diagnostics.js';
import { pause, waitForHost } from './lib/host-wait.js';
import { psErrorText, q, requireWindows } from './lib/win-script.js';
import { setup } from './setup.js';

const int = (description: string) => Type.Optional(Type.Integer({ minimum: 0, description }));
const schema = Type.Object(
  {
    reboot_timeout: int('Seconds to wait for the host to come back and pass test_command (default 600).'),
    connect_timeout: int('Seconds each connection attempt may take (default: the connection timeout).'),
    pre_reboot_delay: int('Seconds shutdown.exe waits before restarting (/t; default 2).'),
    post_reboot_delay: int('Seconds to wait after the host is back, before test_command.'),
    test_command: Type.Optional(Type.String({ description: "PowerShell that succeeds once the host is ready (default 'whoami')." })),
    msg: Type.Optional(Type.String({ description: "The message shown to logged-on users (default 'Reboot initiated by Ansible')." })),
    boot_time_command: Type.Optional(Type.String({ description: 'PowerShell that prints something that changes at every boot (default: LastBootUpTime).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const BOOT_TIME_COMMAND = "(Get-CimInstance -ClassName Win32_OperatingSystem -Property LastBootUpTime).LastBootUpTime.ToString('o')";

interface Current {
  bootTime: string;
}

interface Change {
  kind: 'reboot';
  bootTime: string;
  command: string;
  bootTimeCommand: string;
  testCommand: string;
  rebootTimeoutMs: number;
  connectTimeoutMs?: number;
  postDelayMs: number;
}

/** shutdown.exe's comment is limited to 512 characters. */
export function rebootCommand(args: Args): string {
  const msg = (args.msg ?? 'Reboot initiated by Ansible').slice(0, 512);
  return `shutdown.exe /r /t ${args.pre_reboot_delay ?? 2} /c ${q(msg)}\nexit $LASTEXITCODE`;
}

async function bootTime(ctx: HostContext, command: string): Promise<{ time?: string; error?: string }> {
  const r = await ctx.run(command);
  const time = r.stdout.trim();
  if (r.rc !== 0 || time === '') return { error: `${command}: ${psErrorText(r.stderr) || `exit code ${r.rc}`}` };
  return { time };
}

export const winReboot: Module<Args, Current, Change> = {
  meta: {
    name: 'win_reboot',
    aliases: ['ansible.windows.win_reboot'],
    description: 'Restart a Windows host and wait until it is back (its boot time changed) and ready (test_command).',
    platforms: ['windows'],
    checkMode: 'full',
    verify: 'none',
    example: 'win_reboot:\n  reboot_timeout: 900\n  msg: Hyper-V installed',
    returns: { rebooted: 'true once the host restarted.', elapsed: 'Seconds from the restart command until the host was ready.' },
  },
  schema,
  async read(ctx, args) {
    requireWindows(ctx, 'win_reboot');
    const got = await bootTime(ctx, args.boot_time_command ?? BOOT_TIME_COMMAND);
    if (got.error) throw new Error(`cannot read the boot time before restarting: ${got.error}`);
    return { bootTime: got.time! };
  },
  plan(args, cur) {
    const change: Change = {
      kind: 'reboot',
      bootTime: cur.bootTime,
      command: rebootCommand(args),
      bootTimeCommand: args.boot_time_command ?? BOOT_TIME_COMMAND,
      testCommand: args.test_command ?? 'whoami',
      rebootTimeoutMs: (args.reboot_timeout ?? 600) * 1000,
      ...(args.connect_timeout !== undefined ? { connectTimeoutMs: args.connect_timeout * 1000 } : {}),
      postDelayMs: (args.post_reboot_delay ?? 0) * 1000,
    };
    return { changes: [change], reason: `restart (booted ${cur.bootTime})`, result: { rebooted: true, elapsed: 0 } };
  },
  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    const started = Date.now();
    try {
      const r = await ctx.run(c.command);
      if (r.rc !== 0) return { failed: `Reboot command failed. Error was: ${r.stderr.trim() || r.stdout.trim() || `exit code ${r.rc}`}` };
    } catch (e) {
      // The host may go down before the command's exit status makes it back: that is the point.
      if (!(e instanceof UnreachableError)) throw e;
    }
    const deadline = started + c.rebootTimeoutMs;
    const back = await waitForHost(ctx, {
      deadline,
      connectTimeoutMs: c.connectTimeoutMs,
      probe: async (h) => {
        const got = await bootTime(h, c.bootTimeCommand);
        if (got.error) return got.error;
        return got.time !== c.bootTime ? true : 'the boot time has not changed yet';
      },
    });
    if (!back.ok) {
      throw new UnreachableError(`the host did not come back within reboot_timeout (${c.rebootTimeoutMs / 1000} s): ${back.lastError}`);
    }
    await pause(ctx, c.postDelayMs);
    const test = async (h: HostContext): Promise<true | string> => {
      const r = await h.run(c.testCommand);
      return r.rc === 0 ? true : `${c.testCommand}: ${psErrorText(r.stderr) || `exit code ${r.rc}`}`;
    };
    const first = await test(ctx).catch((e: Error) => e.message);
    const ready = first === true ? { ok: true as const } : await waitForHost(ctx, {
      deadline: Math.max(deadline, Date.now() + 1000),
      connectTimeoutMs: c.connectTimeoutMs,
      probe: test,
    });
    if (!ready.ok) return { failed: `Timed out waiting for post-reboot test command (timeout=${c.rebootTimeoutMs / 1000}): ${ready.lastError}` };
    // A new boot: what setup knows about the host (uptime, features now active) is refreshed.
    const gathered = setup.plan({}, await setup.read(ctx, {}), undefined as never);
    const elapsed = Math.round((Date.now() - started) / 1000);
    return { result: { rebooted: true, elapsed }, ...(gathered.facts ? { facts: gathered.facts } : {}) };
  },
};
