// The executor's entry point: a loaded Playbook in, RunEvents out, a RunSummary back.
//
//   const summary = await runPlaybook(playbook, { inventory, registry, templater, connectionFactory,
//                                                reporter, checkMode, diffMode, forks, ... });
//   await reporter.close();
//   process.exitCode = summary.exitCode;
//
// Before any host is touched: every play's host pattern is resolved and every literal `notify:` is
// checked against the play's handlers; problems throw InvalidInputError (exit 3). The caller closes
// the reporter (also after an exception), so several playbooks can share one reporter.
import { InvalidInputError, type Diagnostic } from '../contract/diagnostics.js';
import type { HostStats } from '../contract/events.js';
import type { Playbook } from '../contract/playbook.js';
import { checkNotifications } from './handlers.js';
import { reportUnreached } from './pending.js';
import type { RunOptions, RunSummary } from './options.js';
import { resolvePlayHosts, runPlay } from './play.js';
import { RunContext } from './run-context.js';
import { defaultServices } from './services.js';
import { exitCodeFor } from './stats.js';

export type { IncludeLoader, RunFailure, RunOptions, RunServices, RunSummary } from './options.js';

export async function runPlaybook(playbook: Playbook, opts: RunOptions): Promise<RunSummary> {
  const warn = (d: Diagnostic) => opts.reporter.on({ type: 'warning', message: d.message, ...(d.loc ? { loc: d.loc } : {}) });
  const services = { ...defaultServices(opts.registry, warn, opts.templater), ...opts.services };
  const run = new RunContext(opts, services, playbook);

  const problems: Diagnostic[] = [];
  const hostLists: string[][] = [];
  for (const play of playbook.plays) {
    problems.push(...checkNotifications(play, (s) => opts.templater.isTemplated(s)));
    try {
      hostLists.push(resolvePlayHosts(run, play));
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      // A pattern error (bad ~regex) has no place of its own: it is the play's `hosts:`.
      problems.push(...err.diagnostics.map((d) => (d.loc ? d : { ...d, loc: play.loc })));
      hostLists.push([]);
    }
  }
  if (problems.length) throw new InvalidInputError(problems);

  run.emit({ type: 'playbook_start', path: playbook.path, checkMode: run.checkMode, diffMode: run.diffMode });
  opts.journal?.onWarning((message) => run.emit({ type: 'warning', message }));
  reportUnreached(run, hostLists);
  try {
    for (const [i, play] of playbook.plays.entries()) {
      if (run.interrupted) break;
      if (run.endedRunBecause) {
        run.emit({ type: 'warning', message: `${run.endedRunBecause}, which ends the run: the remaining plays (from '${play.name}' on) were not started`, loc: play.loc });
        break;
      }
      // add_host / group_by in an earlier play: its pattern may match other hosts now.
      const names = run.inventoryChanged ? resolvePlayHosts(run, play) : hostLists[i]!;
      for (const name of names) {
        run.host(name);
        run.targeted.add(name);
      }
      await runPlay(run, play, names);
    }
  } finally {
    await run.connections.closeAll();
  }

  const summary = summarize(run);
  if (summary.interrupted) {
    const at = Object.entries(summary.interruptedAt).map(([h, t]) => `${h} at '${t}'`);
    run.emit({ type: 'warning', message: `interrupted: no new task was started${at.length ? `; hosts were at: ${at.join(', ')}` : ''}` });
  }
  run.emit({
    type: 'recap',
    stats: summary.stats,
    ...(summary.interrupted ? { interrupted: true, interruptedAt: summary.interruptedAt } : {}),
    ...(Object.keys(summary.pendingHandlers).length ? { pendingHandlers: summary.pendingHandlers } : {}),
    remote: Object.fromEntries(Object.entries(run.connections.remoteCounts()).filter(([h]) => run.targeted.has(h))),
  });
  return summary;
}

function summarize(run: RunContext): RunSummary {
  const stats: Record<string, HostStats> = {};
  const interruptedAt: Record<string, string> = {};
  let failedHosts = 0;
  let unreachableHosts = 0;
  const interrupted = run.interrupted;
  for (const h of run.hosts.values()) {
    if (!run.targeted.has(h.name)) continue;
    stats[h.name] = { ...h.stats };
    if (h.failed) failedHosts++;
    else if (h.unreachable) unreachableHosts++;
    if (interrupted && h.lastTask !== undefined) interruptedAt[h.name] = h.lastTask;
  }
  return {
    exitCode: exitCodeFor({ interrupted, failedHosts, unreachableHosts }),
    stats,
    failures: [...run.failures],
    interrupted,
    interruptedAt,
    pendingHandlers: Object.fromEntries(run.pendingHandlers),
  };
}
