// shell: runs a command line through the host's shell (pipes, redirects, `||` work), as Ansible's
// shell module. Same creates/removes/chdir/stdin and result record as command.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { shJoin } from '../engine/connection/quote.js';
import { type GuardState, type RunChange, RunProperties, planCommand, readGuards, runCommand } from './lib/command-run.js';

const schema = Type.Object(
  {
    cmd: Type.String({ description: 'The shell command line.' }),
    executable: Type.Optional(Type.String({ description: 'Shell to run it with, e.g. /bin/bash (default /bin/sh).' })),
    ...RunProperties,
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const shell: Module<Args, GuardState, RunChange> = {
  meta: {
    name: 'shell',
    description: "Run a command line through the host's shell (pipes, redirects, && and || work).",
    platforms: ['linux'],
    checkMode: 'none',
    freeForm: 'cmd',
    freeFormKeys: ['creates', 'removes', 'chdir', 'executable', 'stdin'],
    example: 'shell: dmesg | grep -i mlx5 > /tmp/mlx5.log\nargs:\n  creates: /tmp/mlx5.log',
    returns: {
      cmd: 'The command line as given.',
      rc: 'Exit code.',
      stdout: 'Standard output.',
      stderr: 'Standard error.',
      stdout_lines: 'stdout split into lines.',
      stderr_lines: 'stderr split into lines.',
      start: 'When the command started.',
      end: 'When it ended.',
      delta: 'How long it ran.',
    },
  },
  schema,
  read: readGuards,
  plan(args, current) {
    if (args.cmd.trim() === '') return { changes: [], failed: 'no command given' };
    // Without `executable` the connection's own `sh -c` is the shell.
    const line = args.executable ? shJoin([args.executable, '-c', args.cmd]) : args.cmd;
    return planCommand(line, args.cmd, args, current);
  },
  apply: runCommand,
};
