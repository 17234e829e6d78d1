// `serial:` → host batches, as Ansible computes them: each entry is a count or a percentage of the
// play's hosts (rounded down, at least 1); the last entry repeats until every host is in a batch.

/** Splits `hosts` into batches according to `serial` (empty / 0 / "0%" = one batch of all hosts). */
export function computeBatches<T>(hosts: readonly T[], serial: ReadonlyArray<number | string>): T[][] {
  if (hosts.length === 0) return [];
  const sizes = serial.map((s) => batchSize(s, hosts.length));
  if (sizes.length === 0 || sizes.every((s) => s === 0)) return [[...hosts]];
  const batches: T[][] = [];
  let start = 0;
  let i = 0;
  while (start < hosts.length) {
    const size = sizes[Math.min(i, sizes.length - 1)]!;
    // 0 in the middle of a list means "the rest" (Ansible treats it as all remaining hosts).
    const end = size <= 0 ? hosts.length : Math.min(hosts.length, start + size);
    batches.push(hosts.slice(start, end));
    start = end;
    i++;
  }
  return batches;
}

/** One serial entry as a host count; percentages of `total` round down but never below 1. */
export function batchSize(entry: number | string, total: number): number {
  if (typeof entry === 'number') return Math.max(0, Math.floor(entry));
  const text = entry.trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (pct) {
    const value = Number(pct[1]);
    if (value <= 0) return 0;
    return Math.max(1, Math.floor((value / 100) * total));
  }
  if (/^\d+$/.test(text)) return Number(text);
  throw new Error(`invalid serial value '${entry}': expected a number or a percentage like "30%"`);
}

/**
 * max_fail_percentage: the play stops when the share of failed hosts of the batch is STRICTLY
 * greater than the limit (Ansible's rule: 2 of 4 hosts with a limit of 50 keeps going).
 */
export function exceedsMaxFail(failed: number, batchSize: number, maxFailPercentage: number | undefined): boolean {
  if (maxFailPercentage === undefined || batchSize === 0) return false;
  return (failed / batchSize) * 100 > maxFailPercentage;
}
