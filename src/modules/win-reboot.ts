// win_reboot: restarts a Windows host (shutdown.exe /r, as ansible.windows.win_reboot does) and
// waits until it is back, which means its boot time (Win32_OperatingSystem LastBootUpTime) changed,
// not that some time passed; then until test_command succeeds. The WinRM connection is dropped and
// re-opened for each attempt (a connection from before the restart is dead), and facts are gathered
// again. A host that does not come back within reboot_timeout is unreachable.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { readBootMarker, rebootAndWait } from './lib/reboot-flow.js';
import { psErrorText, q, requireWindows } from './lib/win-script.js';

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
    const got = await readBootMarker(ctx, args.boot_time_command ?? BOOT_TIME_COMMAND, psErrorText);
    if (got.error) throw new Error(`cannot read the boot time before restarting: ${got.error}`);
    return { bootTime: got.value! };
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
  apply(ctx, plan) {
    const c = plan.changes[0]!;
    return rebootAndWait(ctx, { ...c, before: c.bootTime, markerName: 'boot time', bootMarkerCommand: c.bootTimeCommand, errorText: psErrorText });
  },
};
