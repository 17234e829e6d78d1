// reboot: reboots the host and waits until it is back, which means its boot id changed (not that some
// time passed), then until test_command succeeds; the host's connection is dropped and re-opened, and
// its facts are gathered again. A host that does not come back within reboot_timeout is unreachable.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';
import { readBootMarker, rebootAndWait } from './lib/reboot-flow.js';
import { SBIN_PATH } from './sysctl.js';

const int = (description: string) => Type.Optional(Type.Integer({ minimum: 0, description }));
const schema = Type.Object(
  {
    reboot_timeout: int('Seconds to wait for the host to come back and pass test_command (default 600).'),
    connect_timeout: int('Seconds each connection attempt may take (default: the connection timeout).'),
    pre_reboot_delay: int('Seconds before rebooting; shutdown takes whole minutes, so under 60 means now.'),
    post_reboot_delay: int('Seconds to wait after the host is back, before test_command.'),
    test_command: Type.Optional(Type.String({ description: "A command that succeeds once the host is ready (default 'whoami')." })),
    msg: Type.Optional(Type.String({ description: "The message shutdown broadcasts (default 'Reboot initiated by Ansible')." })),
    boot_time_command: Type.Optional(Type.String({ description: 'Prints something that changes at every boot (default: the kernel boot id).' })),
    reboot_command: Type.Optional(Type.String({ description: "The command that reboots (default 'shutdown -r <minutes> <msg>')." })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const BOOT_ID_COMMAND = 'cat /proc/sys/kernel/random/boot_id';

interface Current {
  bootId: string;
}

interface Change {
  kind: 'reboot';
  bootId: string;
  command: string;
  bootTimeCommand: string;
  testCommand: string;
  rebootTimeoutMs: number;
  connectTimeoutMs?: number;
  postDelayMs: number;
}

const plainError = (stderr: string) => stderr.trim();

export function rebootCommand(args: Args): string {
  if (args.reboot_command) return args.reboot_command;
  const minutes = Math.floor((args.pre_reboot_delay ?? 0) / 60);
  return `shutdown -r ${minutes} ${shQuote(args.msg ?? 'Reboot initiated by Ansible')}`;
}

export const reboot: Module<Args, Current, Change> = {
  meta: {
    name: 'reboot',
    description: 'Reboot the host and wait until it is back (its boot id changed) and ready (test_command).',
    platforms: ['linux'],
    checkMode: 'full',
    verify: 'none',
    example: 'reboot:\n  reboot_timeout: 900\n  msg: MOFED driver update',
    returns: { rebooted: 'true once the host rebooted.', elapsed: 'Seconds from the reboot command until the host was ready.' },
  },
  schema,
  async read(ctx, args) {
    const got = await readBootMarker(ctx, args.boot_time_command ?? BOOT_ID_COMMAND, plainError);
    if (got.error) throw new Error(`cannot read the boot id before rebooting: ${got.error}`);
    return { bootId: got.value! };
  },
  plan(args, cur) {
    const change: Change = {
      kind: 'reboot',
      bootId: cur.bootId,
      command: rebootCommand(args),
      bootTimeCommand: args.boot_time_command ?? BOOT_ID_COMMAND,
      testCommand: args.test_command ?? 'whoami',
      rebootTimeoutMs: (args.reboot_timeout ?? 600) * 1000,
      ...(args.connect_timeout !== undefined ? { connectTimeoutMs: args.connect_timeout * 1000 } : {}),
      postDelayMs: (args.post_reboot_delay ?? 0) * 1000,
    };
    return { changes: [change], reason: `reboot (boot id ${cur.bootId})`, result: { rebooted: true, elapsed: 0 } };
  },
  apply(ctx, plan) {
    const c = plan.changes[0]!;
    return rebootAndWait(ctx, {
      ...c,
      command: `${SBIN_PATH}\n${c.command}`,
      before: c.bootId,
      markerName: 'boot id',
      bootMarkerCommand: c.bootTimeCommand,
      errorText: plainError,
    });
  },
};
