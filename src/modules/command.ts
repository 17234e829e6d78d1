// command: runs a program with arguments, without a shell (no pipes, redirects or `&&`), as
// Ansible's command module. creates/removes make it idempotent and decide even in check mode.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';
import { type GuardState, type RunChange, RunProperties, planCommand, readGuards, runCommand } from './lib/command-run.js';
import { quoteExpanding, shlexSplit } from './lib/shlex.js';

const schema = Type.Object(
  {
    cmd: Type.Optional(Type.String({ description: 'The command line, split into words like a shell would (no shell features).' })),
    argv: Type.Optional(Type.Array(Type.String(), { description: 'The command as a list of arguments (no splitting at all).' })),
    ...RunProperties,
    expand_argument_vars: Type.Optional(
      Type.Boolean({ description: 'Expand $VAR, ${VAR} and a leading ~ in arguments on the host (default true).' }),
    ),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

/** The argv to run, or a message saying why there is none. */
export function commandArgv(args: { cmd?: string; argv?: string[] }): string[] | string {
  if (args.cmd !== undefined && args.argv !== undefined) return 'parameters are mutually exclusive: cmd|argv';
  if (args.argv !== undefined) return args.argv.length > 0 ? args.argv : 'no command given';
  if (args.cmd === undefined || args.cmd.trim() === '') return 'no command given';
  try {
    return shlexSplit(args.cmd);
  } catch (e) {
    return `cannot split the command line: ${(e as Error).message}`;
  }
}

/** The host command line: each word quoted, with Ansible's argument expansion unless disabled. */
export function commandLine(argv: string[], expand = true): string {
  return argv.map((a) => (expand ? quoteExpanding(a) : shQuote(a))).join(' ');
}

export const command: Module<Args, GuardState, RunChange> = {
  meta: {
    name: 'command',
    description: 'Run a program on the host, without a shell; idempotent with creates/removes.',
    platforms: ['linux'],
    checkMode: 'none',
    freeForm: 'cmd',
    freeFormKeys: ['creates', 'removes', 'chdir', 'stdin'],
    example: 'command: systemctl daemon-reload\n# or\ncommand:\n  argv: [/opt/tool, --flag, "a value"]\n  creates: /etc/tool.done',
    returns: {
      cmd: 'The command as run (the argv list).',
      rc: 'Exit code (-N when killed by signal N).',
      stdout: 'Standard output (trailing newlines stripped unless strip_empty_ends: false).',
      stderr: 'Standard error.',
      stdout_lines: 'stdout split into lines.',
      stderr_lines: 'stderr split into lines.',
      start: 'When the command started (local time, Python datetime format).',
      end: 'When it ended.',
      delta: 'How long it ran (H:MM:SS.ffffff).',
    },
  },
  schema,
  read: readGuards,
  plan(args, current) {
    const argv = commandArgv(args);
    if (typeof argv === 'string') return { changes: [], failed: argv };
    return planCommand(commandLine(argv, args.expand_argument_vars !== false), argv, args, current);
  },
  apply: runCommand,
};
