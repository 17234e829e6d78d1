// `fleetplay plan`, `show` and `apply`: a check-mode run written down as a reviewable artifact, and
// a real run of exactly that artifact — refused up front when its inputs changed, stopped per host
// where the host drifted since (engine/plan holds the recorder, the checker and the two passes).
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ExitCode, InvalidInputError, UsageError } from '../engine/contract/diagnostics.js';
import { loadInventory } from '../engine/inventory/index.js';
import { loadVarsFile } from '../engine/load/index.js';
import { applySavedPlan, type PassOptions } from '../engine/plan/apply-plan.js';
import { digestTrees, inputsDiffer, inventoryDigest } from '../engine/plan/inputs.js';
import { readPlanFile, writePlanFile } from '../engine/plan/plan-file.js';
import { PlanRecorder } from '../engine/plan/recorder.js';
import { newSalt, PLAN_FORMAT, PLAN_VERSION, saltedDigest, type SavedPlan } from '../engine/plan/saved-plan.js';
import type { PlanInputs } from '../engine/plan/schema.js';
import { showJson, showText, summarize } from '../engine/plan/show.js';
import { checkSignature, signPlan } from '../engine/plan/signing.js';
import { secretValues } from '../engine/report/index.js';
import type { RunSummary } from '../engine/run/options.js';
import { parseExtraVars } from './extra-vars.js';
import { limitTo, runCommand, vaultOptions, type RunCliOptions } from './run.js';
import { effectiveSettings } from './run-settings.js';
import { redactor } from './secrets.js';
import { readVaultSecrets, type VaultPasswordOptions } from './vault-passwords.js';
import { setVaultSecrets } from '../engine/vault/index.js';

export const FLEETPLAY_VERSION = '0.1.0';

export interface PlanCliOptions extends RunCliOptions {
  out: string;
  signKey?: string;
}

export async function planCommand(playbookPaths: string[], given: PlanCliOptions): Promise<number> {
  const settings = effectiveSettings(given);
  // The inventory ansible.cfg names is the one the plan records, as if it had been given with -i.
  const opts = { ...given, inventory: settings.inventory, forks: settings.forks };
  setVaultSecrets(await readVaultSecrets(vaultOptions(opts, settings)));
  const salt = newSalt();
  const cwd = process.cwd();
  const extraVars = await parseExtraVars(opts.extraVars, loadVarsFile);
  const inputs = await planInputs(salt, cwd, playbookPaths, opts.inventory, opts.extraVars);
  const recorder = new PlanRecorder(salt, (t) => redactor.text(t));
  const code = await runCommand(playbookPaths, { ...opts, check: true, planGate: recorder, vaultReady: true });
  // -e values that hold a secret are not written down: apply asks for the same -e again.
  const secretExtra = secretValues(extraVars.vars).length > 0;
  let plan: SavedPlan = {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    created: new Date().toISOString(),
    fleetplay: FLEETPLAY_VERSION,
    salt,
    inputs,
    invocation: {
      cwd,
      playbooks: playbookPaths,
      inventory: opts.inventory,
      ...(opts.limit ? { limit: opts.limit } : {}),
      tags: opts.tags,
      skipTags: opts.skipTags,
      forks: opts.forks,
      diff: !!opts.diff,
      ...(secretExtra ? { extraVarsNeeded: true } : opts.extraVars.length ? { extraVars: opts.extraVars } : {}),
    },
    hosts: recorder.hosts,
  };
  if (opts.signKey) plan = signPlan(plan, await readKey(opts.signKey, '--sign-key'));
  const out = resolve(opts.out);
  await writePlanFile(out, plan);
  const s = summarize(plan);
  process.stdout.write(
    `\nPLAN saved to ${opts.out}${plan.signature ? ' (signed)' : ''}: ${s.hosts} host${s.hosts === 1 ? '' : 's'}, ${s.change} to change, ${s.willRun} will run unplanned, ${s.failed} failing\n` +
      `review it with 'fleetplay show ${opts.out}', then run it with 'fleetplay apply ${opts.out}'\n`,
  );
  return code;
}

export function showCommand(file: string, opts: { json?: boolean; verbose: number; color: boolean }): Promise<number> {
  return readPlanFile(resolve(file)).then((plan) => {
    const color = opts.color && !!process.stdout.isTTY && !process.env.NO_COLOR;
    process.stdout.write(opts.json ? showJson(plan) : showText(plan, { color, verbose: opts.verbose > 0 }));
    return ExitCode.ok;
  });
}

export interface ApplyCliOptions extends VaultPasswordOptions {
  limit?: string;
  maxAge?: string;
  allOrNothing?: boolean;
  verifyKey?: string;
  extraVars: string[];
  json?: string;
  timeout?: number;
  hostKeyChecking?: RunCliOptions['hostKeyChecking'];
  color: boolean;
  verbose: number;
}

export async function applyCommand(file: string, opts: ApplyCliOptions): Promise<number> {
  const planPath = resolve(file);
  const plan = await readPlanFile(planPath);
  setVaultSecrets(await readVaultSecrets(vaultOptions(opts, effectiveSettings({ inventory: [], ...opts }))));
  const at = { file: planPath, line: 1, col: 1 };
  if (opts.verifyKey) {
    const bad = checkSignature(plan, await readKey(opts.verifyKey, '--verify-key'));
    if (bad) throw new InvalidInputError({ loc: at, message: `refusing the plan: ${bad}` });
  }
  if (opts.maxAge) {
    const limitMs = parseDuration(opts.maxAge);
    const age = Date.now() - Date.parse(plan.created);
    if (!(age <= limitMs)) throw new InvalidInputError({ loc: at, message: `refusing the plan: it was made ${describeAge(age)} ago (${plan.created}), longer ago than --max-age ${opts.maxAge}; make a new one` });
  }
  const inv = plan.invocation;
  if (inv.extraVarsNeeded && !opts.extraVars.length) {
    throw new UsageError('this plan was made with -e values that hold secrets (they are not stored in the plan): give the same -e arguments to apply');
  }
  const extraArgs = opts.extraVars.length ? opts.extraVars : (inv.extraVars ?? []);
  // The plan's paths are as the planner typed them, relative to where the plan was made.
  process.chdir(inv.cwd);
  const now = await planInputs(plan.salt, inv.cwd, inv.playbooks, inv.inventory, extraArgs);
  const changed = inputsDiffer(plan.inputs, now);
  if (changed) throw new InvalidInputError({ loc: at, message: `refusing the plan: ${changed}`, hint: 'make a new plan from the current files (fleetplay plan ... --out FILE)' });

  let hosts = Object.keys(plan.hosts);
  if (opts.limit) {
    const inventory = await loadInventory(inv.inventory, { playbookDir: dirname(resolve(inv.playbooks[0]!)) });
    const picked = new Set(await limitTo(inventory, opts.limit));
    hosts = hosts.filter((h) => picked.has(h));
    if (!hosts.length) throw new UsageError(`--limit ${opts.limit} selects none of the plan's hosts (${Object.keys(plan.hosts).join(', ')})`);
  }
  const base: RunCliOptions = {
    inventory: inv.inventory,
    extraVars: extraArgs,
    diff: inv.diff,
    forks: inv.forks,
    tags: inv.tags,
    skipTags: inv.skipTags,
    ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
    ...(opts.hostKeyChecking ? { hostKeyChecking: opts.hostKeyChecking } : {}),
    color: opts.color,
    verbose: opts.verbose,
    vaultReady: true,
  };
  const runPass = async (o: PassOptions): Promise<RunSummary> => {
    const summaries: RunSummary[] = [];
    const exitCode = await runCommand(inv.playbooks, {
      ...base,
      check: o.checkMode,
      verify: !o.checkMode,
      planGate: o.gate,
      onlyHosts: o.hosts,
      quiet: o.quiet,
      ...(opts.json && !o.checkMode ? { json: opts.json } : {}),
      onSummary: (s) => summaries.push(s),
    });
    return mergeSummaries(summaries, exitCode);
  };
  const result = await applySavedPlan(plan, runPass, { hosts, allOrNothing: !!opts.allOrNothing, redact: (t) => redactor.text(t) });
  const say = (t: string) => process.stderr.write(redactor.text(t));
  for (const [host, why] of result.drifted) say(`fleetplay: drifted since plan: ${host}: ${why}\n`);
  if (result.drifted.size && !result.summary) {
    say(`fleetplay: nothing applied: ${opts.allOrNothing ? '--all-or-nothing and a host drifted' : 'every host drifted'}\n`);
  } else if (result.drifted.size) {
    say(`fleetplay: applied on ${hosts.length - result.drifted.size} of ${hosts.length} hosts; the drifted ones were left as they are\n`);
  }
  for (const f of result.followed) say(`fleetplay: note: on ${f.host}, '${f.task}' planned differently after an earlier change of this run (as a direct run would)\n`);
  return result.exitCode;
}

/** The digests apply compares: the playbooks' trees, the resolved inventory, the extra vars. */
async function planInputs(salt: string, cwd: string, playbooks: readonly string[], inventorySources: string[], extraArgs: string[]): Promise<PlanInputs> {
  const abs = playbooks.map((p) => resolve(cwd, p));
  const inventories = await Promise.all(abs.map((p) => loadInventory(inventorySources, { playbookDir: dirname(p) })));
  const extra = await parseExtraVars(extraArgs, loadVarsFile);
  return {
    playbooks: await digestTrees(abs.map((p) => dirname(p)), cwd),
    inventory: inventoryDigest(salt, inventories),
    extraVars: saltedDigest(salt, extra.vars),
  };
}

function mergeSummaries(list: RunSummary[], exitCode: number): RunSummary {
  const stats: RunSummary['stats'] = {};
  for (const s of list) {
    for (const [h, st] of Object.entries(s.stats)) {
      const t = (stats[h] ??= { ...st });
      if (t !== st) for (const k of Object.keys(st) as (keyof typeof st)[]) t[k] = (t[k] as number) + (st[k] as number);
    }
  }
  return {
    exitCode: exitCode as RunSummary['exitCode'],
    stats,
    failures: list.flatMap((s) => s.failures),
    interrupted: list.some((s) => s.interrupted),
    interruptedAt: Object.assign({}, ...list.map((s) => s.interruptedAt)),
    pendingHandlers: Object.assign({}, ...list.map((s) => s.pendingHandlers)),
  };
}

async function readKey(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "4h", "2d" (or combined: "1h30m"). */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+)([smhd])/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) throw new UsageError(`--max-age: '${text}' is not a duration like 30m, 4h or 2d`);
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNITS[p[2]!]!, 0);
}

function describeAge(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 120 ? `${m} minute${m === 1 ? '' : 's'}` : `${Math.round(m / 60)} hours`;
}
