// `fleetplay PLAYBOOK...`: load and validate everything first (exit 3 with every problem, touching
// nothing), then run each playbook in order with the reporters the options ask for.
import { dirname, resolve } from 'node:path';
import { ExitCode, InvalidInputError, UsageError, formatDiagnostic } from '../engine/contract/diagnostics.js';
import type { Inventory } from '../engine/contract/inventory.js';
import type { Playbook } from '../engine/contract/playbook.js';
import type { PlanGate } from '../engine/plan/gate.js';
import { createConnectionFactory } from '../engine/connection/factory.js';
import { describeCleared, openHandlerJournal } from '../engine/journal/index.js';
import { applyLimit, loadInventory } from '../engine/inventory/index.js';
import { loadPlaybooks, loadVarsFile } from '../engine/load/index.js';
import { chooseReporter, createJsonReporter, createMultiReporter, createRedactingReporter } from '../engine/report/index.js';
import { runPlaybook } from '../engine/run/index.js';
import type { RunSummary } from '../engine/run/options.js';
import { createTemplater } from '../engine/template/index.js';
import { registry } from '../modules/registry.js';
import { requireInventorySources, requirePlaybooks } from './command-line-paths.js';
import { parseExtraVars } from './extra-vars.js';
import { listHosts, listTasks } from './listing.js';
import { collectSecrets, redactor } from './secrets.js';
import { readVaultSecrets, type VaultPasswordOptions } from './vault-passwords.js';
import { setVaultSecrets } from '../engine/vault/index.js';

export interface RunCliOptions extends VaultPasswordOptions {
  inventory: string[];
  limit?: string;
  extraVars: string[];
  check?: boolean;
  diff?: boolean;
  forks: number;
  tags: string[];
  skipTags: string[];
  startAtTask?: string;
  listHosts?: boolean;
  listTasks?: boolean;
  syntaxCheck?: boolean;
  forceHandlers?: boolean;
  verify?: boolean;
  clearPending?: boolean;
  json?: string;
  timeout: number;
  hostKeyChecking?: 'strict' | 'accept-new' | 'off';
  color: boolean;
  verbose: number;
  /** Saved plans (`plan`, `apply`): the gate every module unit passes (engine/plan). */
  planGate?: PlanGate;
  /** Saved plans: exactly these hosts (apply runs the plan's hosts, after its own --limit). */
  onlyHosts?: string[];
  /** The vault passwords were already read (plan and apply read them once, before their inputs). */
  vaultReady?: boolean;
  /** No console output: apply's drift check prints its own summary. */
  quiet?: boolean;
  /** Each playbook's run summary as it ends (apply merges them). */
  onSummary?: (summary: RunSummary) => void;
}

const splitTags = (list: string[]) => list.flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);

export async function runCommand(playbookPaths: string[], opts: RunCliOptions): Promise<number> {
  await requirePlaybooks(playbookPaths.map((p) => resolve(p)));
  // Before anything is read: any file loaded from here on may be vaulted.
  if (!opts.vaultReady) setVaultSecrets(await readVaultSecrets(opts));
  const templater = createTemplater();
  // All files at once: one id space, and every problem of every file reported together, template
  // syntax errors included (the templater compiles each template once, here, for the whole run).
  const playbooks = await loadPlaybooks(playbookPaths.map((p) => resolve(p)), {
    registry,
    templates: templater,
    onWarning: (d) => process.stderr.write(`${formatDiagnostic(d)}\n`),
  });
  if (opts.syntaxCheck) {
    for (const pb of playbooks) process.stdout.write(`playbook: ${pb.path} — syntax OK (${pb.plays.length} play${pb.plays.length === 1 ? '' : 's'})\n`);
    return ExitCode.ok;
  }
  const extraVars = await parseExtraVars(opts.extraVars, loadVarsFile);
  // Relative to the working directory, which the inventory layer resolves itself: `-i web1,web2` is
  // a host list, and resolving it as a path would turn `web1` into `/cwd/web1`.
  const inventorySources = opts.inventory;
  if (!inventorySources.length) throw new UsageError('no inventory given: use -i FILE (an inventory file or directory)');
  await requireInventorySources(inventorySources);

  const tags = splitTags(opts.tags);
  const skipTags = splitTags(opts.skipTags);
  let worst: number = ExitCode.ok;
  // One JSON report for the whole run, however many playbooks it holds.
  const json = opts.json ? createJsonReporter(opts.json === '-' ? '-' : resolve(opts.json)) : undefined;
  try {
    for (const playbook of playbooks) {
      const code = await runOne(playbook);
      worst = worse(worst, code);
      if (code === ExitCode.interrupted) break;
    }
  } finally {
    await json?.close();
  }
  return worst;

  async function runOne(playbook: Playbook): Promise<number> {
    const inventory = await loadInventory(inventorySources, { playbookDir: dirname(playbook.path) });
    collectSecrets({ inventory, extraVars, playbook, templater });
    const limitHosts = opts.onlyHosts ?? (opts.limit ? await limitTo(inventory, opts.limit) : undefined);
    if (opts.limit && limitHosts?.length === 0) {
      // As ansible-playbook refuses a --limit that leaves no host: a typo must not look like success.
      const groups = [...inventory.groups.keys()].filter((g) => g !== 'all' && g !== 'ungrouped');
      process.stderr.write(`fleetplay: no hosts matched: --limit '${opts.limit}' selects no host of the inventory (groups: ${groups.join(', ') || 'none'}; hosts: ${inventory.hosts.size})\n`);
      return ExitCode.hostFailed;
    }
    if (opts.listHosts || opts.listTasks) {
      const lister = opts.listHosts ? listHosts : listTasks;
      process.stdout.write(lister(playbook, { inventory, templater, extraVars, limitHosts, tags, skipTags }));
      return ExitCode.ok;
    }
    // Colour only for a terminal that wants it (NO_COLOR is the common convention to turn it off).
    const color = opts.color && !!process.stdout.isTTY && !process.env.NO_COLOR;
    const onScreen = opts.quiet ? silent : chooseReporter({ out: opts.json === '-' ? process.stderr : process.stdout, verbosity: opts.verbose, diff: !!opts.diff, color });
    // The JSON reporter outlives this playbook: only the console one is closed here.
    const reporter = createRedactingReporter(createMultiReporter(json ? [onScreen, { on: (e) => json.on(e), close: async () => {} }] : [onScreen]), redactor);
    // First interrupt: start nothing new and let running module calls finish (no half-written
    // state); a second one also cancels the commands in flight.
    const abort = new AbortController();
    const kill = new AbortController();
    const onSigint = () => {
      if (abort.signal.aborted) kill.abort();
      else {
        abort.abort();
        process.stderr.write('\nfleetplay: interrupted — finishing running tasks (interrupt again to cancel them)\n');
      }
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    // Handlers owed from an earlier run of this playbook + inventory; --check only reads it.
    const journal = openHandlerJournal({ playbook: playbook.path, inventory: inventorySources, readOnly: !!opts.check });
    if (opts.clearPending) process.stderr.write(`fleetplay: ${describeCleared(journal.clear(), !!opts.check)}\n`);
    try {
      const summary = await runPlaybook(playbook, {
        inventory,
        registry,
        templater,
        connectionFactory: createConnectionFactory({ connectTimeoutMs: opts.timeout * 1000, ...(opts.hostKeyChecking ? { hostKeyChecking: opts.hostKeyChecking } : {}) }),
        reporter,
        checkMode: !!opts.check,
        diffMode: !!opts.diff,
        forks: opts.forks,
        limitHosts,
        tags,
        skipTags,
        startAtTask: opts.startAtTask,
        extraVars,
        forceHandlers: !!opts.forceHandlers,
        verifyAfterApply: !!opts.verify,
        ...(opts.planGate ? { planGate: opts.planGate } : {}),
        journal,
        verbosity: opts.verbose,
        readAhead: process.env.FLEETPLAY_READ_AHEAD !== '0',
        signal: abort.signal,
        killSignal: kill.signal,
      });
      opts.onSummary?.(summary);
      return summary.exitCode;
    } finally {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      await reporter.close();
    }
  }
}

const silent = { on: () => {}, close: async () => {} };

// --limit is a command-line option: a bad pattern there is a usage error (exit 5), not a file's.
export async function limitTo(inventory: Inventory, limit: string): Promise<string[]> {
  try {
    return await applyLimit(inventory, [...inventory.hosts.keys(), 'localhost'], limit);
  } catch (err) {
    if (err instanceof InvalidInputError) throw new UsageError(`--limit: ${err.diagnostics.map((d) => d.message).join('; ')}`);
    throw err;
  }
}

// Interrupted beats failed beats unreachable beats ok: the most actionable outcome wins.
function worse(a: number, b: number): number {
  const rank = (c: number) => [ExitCode.ok, ExitCode.unreachable, ExitCode.hostFailed, ExitCode.interrupted].indexOf(c as never);
  return rank(b) > rank(a) ? b : a;
}
