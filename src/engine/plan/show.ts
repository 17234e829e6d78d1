// `fleetplay show plan.fpplan`: the plan as a reviewer reads it — a summary, then per host each task
// that changes (with its diff) or runs unpredictably, flagged; `--json` is the plan with a summary.
import { renderDiff } from '../report/diff.js';
import type { SavedPlan, SavedUnit } from './saved-plan.js';
import type { PlanSummary } from './schema.js';

export function summarize(plan: SavedPlan): PlanSummary {
  const s: PlanSummary = { hosts: Object.keys(plan.hosts).length, change: 0, willRun: 0, ok: 0, failed: 0, notVerifiable: 0 };
  for (const host of Object.values(plan.hosts)) {
    for (const u of host.units) {
      if (u.status === 'change') s.change++;
      else if (u.status === 'will-run') s.willRun++;
      else if (u.status === 'failed') s.failed++;
      else s.ok++;
      if (u.notVerifiable) s.notVerifiable++;
    }
  }
  return s;
}

export function showJson(plan: SavedPlan): string {
  return `${JSON.stringify({ ...plan, summary: summarize(plan) }, null, 2)}\n`;
}

const MARK: Record<SavedUnit['status'], string> = { change: '~', 'will-run': '!', failed: 'x', ok: ' ' };

export function showText(plan: SavedPlan, opts: { color?: boolean; verbose?: boolean } = {}): string {
  const s = summarize(plan);
  const inv = plan.invocation;
  const lines = [
    `plan of ${inv.playbooks.join(', ')} on ${inv.inventory.join(', ')}${inv.limit ? ` (limit ${inv.limit})` : ''}`,
    `made ${plan.created} by fleetplay ${plan.fleetplay}${plan.signature ? ', signed' : ', not signed'}`,
    `${s.hosts} host${s.hosts === 1 ? '' : 's'}: ${s.change} to change, ${s.willRun} will run unplanned, ${s.failed} failing, ${s.ok} ok`,
  ];
  if (s.willRun) lines.push(`! ${s.willRun} task${s.willRun === 1 ? ' runs' : 's run'} a command whose effect cannot be planned (no creates/removes): review them`);
  if (s.notVerifiable) lines.push(`? ${s.notVerifiable} change${s.notVerifiable === 1 ? '' : 's'} cannot be verified after apply (marked "not verifiable")`);
  if (s.failed) lines.push(`x ${s.failed} task${s.failed === 1 ? '' : 's'} already fail in the plan: apply will fail there too`);
  for (const [host, hp] of Object.entries(plan.hosts).sort(([a], [b]) => a.localeCompare(b))) {
    const shown = hp.units.filter((u) => opts.verbose || u.status !== 'ok');
    const counts = summarize({ ...plan, hosts: { [host]: hp } });
    lines.push('', `HOST ${host}: ${counts.change} to change, ${counts.willRun} will run, ${counts.failed} failing, ${counts.ok} ok`);
    for (const u of shown) {
      const flags = [u.notVerifiable ? 'not verifiable' : '', u.noLog ? 'no_log: details hidden' : '', u.handler ? 'handler' : ''].filter(Boolean);
      const what = u.status === 'will-run' ? `will run: ${u.reason ?? ''}` : (u.reason ?? u.status);
      lines.push(`  ${MARK[u.status]} ${u.name}${u.item ? ` [item ${u.item}]` : ''} (${u.module}): ${what}${flags.length ? `  [${flags.join('; ')}]` : ''}`);
      if (u.diff?.length) lines.push(...renderDiff(u.diff, { color: opts.color }).map((l) => `      ${l}`));
    }
    if (hp.handlers.length) lines.push(`  handlers that will run: ${hp.handlers.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
