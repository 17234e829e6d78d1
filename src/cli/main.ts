// fleetplay's command line: parse options, hand them to a subcommand, map every outcome to the exit
// codes of DESIGN.md. No stack trace reaches the user unless FLEETPLAY_DEBUG is set.
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, InvalidInputError, UsageError, formatDiagnostic } from '../engine/contract/diagnostics.js';
import { applyCommand, planCommand, showCommand, type ApplyCliOptions, type PlanCliOptions } from './plan.js';
import { runCommand, type RunCliOptions } from './run.js';
import { docCommand } from './doc.js';
import { labCommand } from './lab.js';
import { vaultCommand } from './vault.js';
import { parseShard } from './shard.js';
import { reportCommand } from './report-command.js';
import { redactor } from './secrets.js';
import { VaultError } from '../engine/vault/index.js';

function collect(value: string, prior: string[]): string[] {
  return [...prior, value];
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got '${v}'`);
    return n;
  };
}

/** What `run` and `plan` share: inventory, selection, variables, output. */
function addRunOptions(cmd: Command): Command {
  return connectionOptions(
    cmd
      .option('-i, --inventory <source>', 'inventory file or directory (repeatable)', collect, [])
      .option('-l, --limit <pattern>', 'further limit selected hosts (pattern, or @file)')
      .option('--shard <k/n>', 'run only shard k of n of the selected hosts (split by a stable hash of the host name)', parseShard)
      .option('-e, --extra-vars <vars>', 'key=value, JSON/YAML, or @file (repeatable; highest precedence)', collect, [])
      .option('-D, --diff', 'show diffs of what changes (or would change)')
      .option('-f, --forks <n>', 'hosts worked on in parallel (default 50, or forks in ansible.cfg)', positiveInt('--forks'))
      .option('-t, --tags <tags>', 'only tasks with these tags (comma list, repeatable)', collect, [])
      .option('--skip-tags <tags>', 'skip tasks with these tags (comma list, repeatable)', collect, [])
      .option('--json <file>', 'write a JSON report (schema: schemas/report.json)'),
  );
}

/** How hosts are reached and how output looks: every command that runs a playbook. */
function connectionOptions(cmd: Command): Command {
  return cmd
    .option('-T, --timeout <seconds>', 'connection timeout in seconds (default 10, or timeout in ansible.cfg)', positiveInt('--timeout'))
    .addOption(
      // No default here: when not given, per-host settings (ansible_ssh_host_key_checking,
      // StrictHostKeyChecking in ssh args, ANSIBLE_HOST_KEY_CHECKING) decide, and strict is the fallback.
      new Option('--host-key-checking <policy>', 'SSH host keys for every host: strict (unknown or changed key = unreachable; the default), accept-new, off').choices([
        'strict',
        'accept-new',
        'off',
      ]),
    )
    .option('--vault-id <id>', 'vault password as label@source: a file, an executable script, or prompt (repeatable)', collect, [])
    .option('--vault-password-file <file>', 'vault password file, or a script printing it (repeatable)', collect, [])
    .option('-J, --ask-vault-pass', 'prompt for the vault password (not echoed)')
    .option('--no-color', 'plain output')
    .option('-v, --verbose', 'more output (repeat for more)', (_v: string, n: number) => n + 1, 0);
}

/** Who to log in and become on the hosts; the lowest precedence, as in Ansible (see settings.ts). */
function addRemoteUserOptions(cmd: Command): Command {
  return cmd
    .option('-u, --user <name>', 'log in as this user where the inventory sets no ansible_user')
    .option('--private-key <file>', 'SSH private key where the inventory sets none')
    .option('-k, --ask-pass', 'prompt for the SSH login password (not echoed)')
    .option('--connection-password-file <file>', 'SSH login password from this file')
    .option('-b, --become', 'run tasks with privilege escalation (sudo) unless a play or host says otherwise')
    .option('--become-user <name>', 'user to become (default root)')
    .option('--become-method <method>', 'privilege escalation method (fleetplay supports sudo)')
    .option('-K, --ask-become-pass', 'prompt for the become (sudo) password (not echoed)')
    .option('--become-password-file <file>', 'become (sudo) password from this file');
}

export function buildProgram(): Command {
  const program = new Command('fleetplay')
    .description('Declarative playbooks for Azure HPC and GPU fleets, over SSH and WinRM')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  addRunOptions(
    program
      .command('run', { isDefault: true })
      .description('run playbooks against an inventory (the default command)')
      .argument('<playbook...>', 'playbook files, run in order'),
  )
    .option('-C, --check', 'plan only: show what would change, change nothing')
    .option('--start-at-task <name>', 'start at the first task with this name (glob)')
    .option('--list-hosts', 'list the hosts each play would run on, then exit')
    .option('--list-tasks', 'list the tasks each play would run, then exit')
    .option('--list-tags', 'list the tags of the tasks each play would run, then exit')
    .option('--flush-cache', 'accepted for ansible-playbook compatibility: fleetplay keeps no fact cache between runs')
    .option('--syntax-check', 'load and validate only, touching no host')
    .option('--force-handlers', 'run notified handlers even on hosts that failed')
    .option('--verify', 'after each change, read the host again and fail the task if it does not match the plan')
    .option('--clear-pending', 'discard handlers pending from an earlier run of this playbook and inventory')
    .action(async (playbooks: string[], opts: RunCliOptions) => {
      process.exitCode = await runCommand(playbooks, opts);
    });
  addRemoteUserOptions(program.commands.find((c) => c.name() === 'run')!);

  addRunOptions(
    program
      .command('plan')
      .description('check-mode run that writes a reviewable plan; apply runs exactly that plan')
      .argument('<playbook...>', 'playbook files, run in order'),
  )
    .requiredOption('-o, --out <file>', 'where to write the plan (.fpplan; private, 0600)')
    .option('--sign-key <file>', 'sign the plan with this Ed25519 private key (PEM)')
    .action(async (playbooks: string[], opts: PlanCliOptions) => {
      process.exitCode = await planCommand(playbooks, opts);
    });

  program
    .command('show')
    .description('print a saved plan for review: summary, per-host changes with diffs, flagged tasks')
    .argument('<plan>', 'a plan file written by fleetplay plan')
    .option('--json', 'the plan as JSON with a summary (schema: schemas/plan.json)')
    .option('--no-color', 'plain output')
    .option('-v, --verbose', 'also list the tasks with nothing to do', (_v: string, n: number) => n + 1, 0)
    .action(async (file: string, opts: { json?: boolean; verbose: number; color: boolean }) => {
      process.exitCode = await showCommand(file, opts);
    });

  connectionOptions(
    program
      .command('apply')
      .description('run a saved plan: refused when its inputs changed; a host that drifted since the plan stops (exit 2)')
      .argument('<plan>', 'a plan file written by fleetplay plan')
      .option('-l, --limit <pattern>', "only these of the plan's hosts")
      .option('-e, --extra-vars <vars>', 'the -e arguments again, when the plan says they held secrets', collect, [])
      .option('--max-age <duration>', 'refuse a plan older than this (30m, 4h, 2d)')
      .option('--all-or-nothing', 'apply no host when any host drifted')
      .option('--verify-key <file>', 'require a signature by the Ed25519 private key matching this public key (PEM)')
      .option('--json <file>', 'write a JSON report of the real run (schema: schemas/report.json)'),
  ).action(async (file: string, opts: ApplyCliOptions) => {
    process.exitCode = await applyCommand(file, opts);
  });

  program
    .command('doc')
    .description('print module documentation from the schemas')
    .argument('[module]', 'module name; all modules when omitted')
    .option('--markdown', 'Markdown (as in the README)')
    .action((name: string | undefined, opts: { markdown?: boolean }) => {
      process.exitCode = docCommand(name, opts);
    });

  program.addCommand(labCommand());
  program.addCommand(vaultCommand());
  program.addCommand(reportCommand());
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    return reportError(err);
  }
}

export function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
    return ExitCode.badOptions; // commander already printed the message
  }
  // Messages may quote values (a template's input, a host's answer): secrets are masked here too.
  const say = (text: string) => process.stderr.write(redactor.text(text));
  if (err instanceof UsageError) {
    say(`fleetplay: ${err.message}\n`);
    return ExitCode.badOptions;
  }
  // A vault no password opens: exit 2 as ansible-playbook does, before any host was touched.
  if (err instanceof VaultError) {
    say(`fleetplay: ${err.message}; nothing was run\n`);
    return ExitCode.hostFailed;
  }
  if (err instanceof InvalidInputError) {
    for (const d of err.diagnostics) say(`${formatDiagnostic(d)}\n`);
    const n = err.diagnostics.length;
    say(`fleetplay: ${n} problem${n === 1 ? '' : 's'} found; nothing was run\n`);
    return ExitCode.invalidInput;
  }
  const message = err instanceof Error ? err.message : String(err);
  say(`fleetplay: internal error: ${message}\n`);
  if (process.env.FLEETPLAY_DEBUG && err instanceof Error) say(`${err.stack}\n`);
  return ExitCode.internal;
}
