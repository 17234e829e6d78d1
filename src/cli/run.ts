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
import { loadPlaybooks, loadVarsFile, setRolesPath } from '../engine/load/index.js';
import { chooseReporter, createJsonReporter, createMultiReporter, createRedactingReporter, type ReportMeta } from '../engine/report/index.js';
import { runPlaybook } from '../engine/run/index.js';
import type { RunSummary } from '../engine/run/options.js';
import { createTemplater } from '../engine/template/index.js';
import { registry } from '../modules/registry.js';
import { requireInventorySources, requirePlaybooks } from './command-line-paths.js';
import { parseExtraVars } from './extra-vars.js';
import { listHosts, listTags, listTasks } from './listing.js';
import { collectSecrets, redactor } from './secrets.js';
import { readVaultSecrets, type VaultPasswordOptions } from './vault-passwords.js';
import { reportInputs } from './report-inputs.js';
import { connectionDefaults, effectiveSettings } from './run-settings.js';
import type { SettingsFlags } from './settings.js';
import { selectShard, type Shard } from './shard.js';
import { setVaultSecrets } from '../engine/vault/index.js';

export interface RunCliOptions extends VaultPasswordOptions, SettingsFlags {
  inventory: string[];
  limit?: string;
  /** --shard k/n: this controller's part of the hosts --limit selected. */
  shard?: Shard;
  extraVars: string[];
  check?: boolean;
  diff?: boolean;
  forks?: number;
  tags: string[];
  skipTags: string[];
  startAtTask?: string;
  listHosts?: boolean;
  listTasks?: boolean;
  listTags?: boolean;
  syntaxCheck?: boolean;
  forceHandlers?: boolean;
  verify?: boolean;
  clearPending?: boolean;
  json?: string;
  timeout?: number;
  hostKeyChecking?: 'strict' | 'accept-new' | 'off';
  /** --flush-cache: accepted; fleetplay keeps no fact cache between runs, so there is nothing to clear. */
  flushCache?: boolean;
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
  const settings = effectiveSettings(opts);
  setRolesPath(settings.rolesPath);
  // Asked before the vault passwords, in ansible-playbook's order (SSH, become, vault).
  const defaults = await connectionDefaults(settings);
  // Before anything is read: any file loaded from here on may be vaulted.
  if (!opts.vaultReady) setVaultSecrets(await readVaultSecrets(vaultOptions(opts, settings)));
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
  const inventorySources = settings.inventory;
  if (!inventorySources.length) throw new UsageError('no inventory given: use -i FILE (an inventory file or directory), ANSIBLE_INVENTORY or inventory in ansible.cfg');
  await requireInventorySources(inventorySources);

  const tags = splitTags(opts.tags);
  const skipTags = splitTags(opts.skipTags);
  let worst: number = ExitCode.ok;
  // One JSON report for the whole run, however many playbooks it holds.
  const meta: ReportMeta = { playbooks: playbooks.map((p) => p.path), checkMode: !!opts.check, ...(opts.shard ? { shard: { ...opts.shard } } : {}) };
  const json = opts.json ? createJsonReporter(opts.json === '-' ? '-' : resolve(opts.json), meta) : undefined;
  const inventories: Inventory[] = [];
  try {
    for (const playbook of playbooks) {
      const code = await runOne(playbook);
      worst = worse(worst, code);
      if (code === ExitCode.interrupted) break;
    }
    if (json) meta.inputs = await reportInputs(playbooks.map((p) => p.path), inventories);
    // Only a run that ended records its code: a crashed one leaves merge to judge by its recap.
    meta.exitCode = worst;
  } finally {
    await json?.close();
  }
  return worst;

  async function runOne(playbook: Playbook): Promise<number> {
    const inventory = await loadInventory(inventorySources, { playbookDir: dirname(playbook.path) });
    collectSecrets({ inventory, extraVars, playbook, templater });
    inventories.push(inventory);
    let limitHosts = opts.onlyHosts ?? (opts.limit ? await limitTo(inventory, opts.limit) : undefined);
    if (opts.limit && limitHosts?.length === 0) {
      // As ansible-playbook refuses a --limit that leaves no host: a typo must not look like success.
      const groups = [...inventory.groups.keys()].filter((g) => g !== 'all' && g !== 'ungrouped');
      process.stderr.write(`fleetplay: no hosts matched: --limit '${opts.limit}' selects no host of the inventory (groups: ${groups.join(', ') || 'none'}; hosts: ${inventory.hosts.size})\n`);
      return ExitCode.hostFailed;
    }
    if (opts.shard) {
      // Implicit localhost is in the pool too, so a `hosts: localhost` play runs in exactly one shard.
      const pool = limitHosts ?? [...inventory.hosts.keys(), ...(inventory.hosts.has('localhost') ? [] : ['localhost'])];
      limitHosts = selectShard(pool, opts.shard);
      if (!limitHosts.length) {
        // Unlike an empty --limit this is no typo: with more shards than hosts some shards are empty.
        process.stderr.write(`fleetplay: shard ${opts.shard.index}/${opts.shard.count} selects none of the ${pool.length} selected host${pool.length === 1 ? '' : 's'}; nothing to run in ${playbook.path}\n`);
        return ExitCode.ok;
      }
    }
    if (opts.listHosts || opts.listTasks || opts.listTags) {
      const lister = opts.listHosts ? listHosts : opts.listTasks ? listTasks : listTags;
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
        connectionFactory: createConnectionFactory({ connectTimeoutMs: settings.timeout * 1000, ...(settings.hostKeyChecking ? { hostKeyChecking: settings.hostKeyChecking } : {}) }),
        connectionDefaults: defaults,
        reporter,
        checkMode: !!opts.check,
        diffMode: !!opts.diff,
        forks: settings.forks,
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

/** The vault sources with ansible.cfg's and the environment's merged in (they are in `settings` already). */
export function vaultOptions(opts: VaultPasswordOptions, settings: { vaultId: string[]; vaultPasswordFile: string[] }): VaultPasswordOptions {
  return { vaultId: settings.vaultId, vaultPasswordFile: settings.vaultPasswordFile, ...(opts.askVaultPass ? { askVaultPass: true } : {}) };
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
