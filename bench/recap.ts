// Every tool (and each floor's driver) ends with an Ansible-style PLAY RECAP; the benchmark reads the
// per-host counts from it to check the run did what it should (changes on the first run, none on the
// second, no failures), not just that it exited 0.

export type RecapCounts = Record<string, number>;

const ANSI = /\x1b\[[0-9;]*m/g;

/** Host → counts (ok, changed, unreachable, failed, …) from the last PLAY RECAP in `output`. */
export function parseRecap(output: string): Map<string, RecapCounts> {
  const lines = output.replace(ANSI, '').split(/\r?\n/);
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^PLAY RECAP\b/.test(lines[i]!)) {
      start = i;
      break;
    }
  }
  const recap = new Map<string, RecapCounts>();
  if (start < 0) return recap;
  for (const line of lines.slice(start + 1)) {
    const m = /^(\S+)\s*:\s*((?:[a-z_]+=\d+\s*)+)$/.exec(line.trim());
    if (!m) continue;
    const counts: RecapCounts = {};
    for (const kv of m[2]!.trim().split(/\s+/)) {
      const [k, v] = kv.split('=');
      counts[k!] = Number(v);
    }
    recap.set(m[1]!, counts);
  }
  return recap;
}

/** Problems with a run's recap: every host present, none failed or unreachable, `changed` as expected. */
export function checkRecap(recap: Map<string, RecapCounts>, hosts: readonly string[], expectedChanged: (host: string) => number): string[] {
  if (recap.size === 0) return ['no PLAY RECAP in the output'];
  const problems: string[] = [];
  for (const h of hosts) {
    const c = recap.get(h);
    if (!c) {
      problems.push(`${h}: missing from PLAY RECAP`);
      continue;
    }
    if (c.failed) problems.push(`${h}: failed=${c.failed}`);
    if (c.unreachable) problems.push(`${h}: unreachable=${c.unreachable}`);
    const want = expectedChanged(h);
    if (c.changed !== want) problems.push(`${h}: changed=${c.changed}, expected ${want}`);
  }
  for (const h of recap.keys()) if (!hosts.includes(h)) problems.push(`${h}: in PLAY RECAP but not in the inventory`);
  return problems;
}
