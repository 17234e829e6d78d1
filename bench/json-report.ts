// Per-host total task time from fleetplay's --json report (schemas/report.json): the scale run shows
// its spread (min/median/max) so a starved host — one that waited on the others — stands out.

interface ReportShape {
  plays?: { tasks?: { results?: { host?: unknown; durationMs?: unknown }[] }[] }[];
}

/** Host → sum of its task results' durationMs (handlers included). */
export function hostTaskTimes(report: unknown): Map<string, number> {
  const totals = new Map<string, number>();
  const plays = (report as ReportShape)?.plays;
  if (!Array.isArray(plays)) throw new Error('bench: the JSON report has no plays');
  for (const play of plays) {
    for (const task of play.tasks ?? []) {
      for (const r of task.results ?? []) {
        if (typeof r.host !== 'string') continue;
        const ms = typeof r.durationMs === 'number' ? r.durationMs : 0;
        totals.set(r.host, (totals.get(r.host) ?? 0) + ms);
      }
    }
  }
  return totals;
}
