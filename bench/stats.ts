// Small statistics for the report: medians over repetitions, spreads, ratios.

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
  count: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN, count: 0 };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, median: median(values), max, count: values.length };
}

/** a / b, or NaN when either side is missing or b is zero. */
export function ratio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}

/** Ratio as the report prints it: `12.3×`, `0.84×`, `—` when unknown. */
export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return '—';
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** Seconds with precision that suits the size: 0.412 s, 6.31 s, 71.2 s. */
export function formatSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const s = ms / 1000;
  if (s < 1) return `${s.toFixed(3)} s`;
  if (s < 10) return `${s.toFixed(2)} s`;
  return `${s.toFixed(1)} s`;
}

export function formatMegabytes(kb: number): string {
  if (!Number.isFinite(kb)) return '—';
  return `${(kb / 1024).toFixed(kb < 10 * 1024 ? 1 : 0)} MB`;
}

/** Every session a host's sshd served (exec requests, SFTP and others), per host. */
export function sessionsPerHost(r: { commands: readonly number[]; sftp: readonly number[] }): number[] {
  return r.commands.map((c, i) => c + (r.sftp[i] ?? 0));
}

/** A per-host count as the report prints it: `16` when every host agrees, else `median (min–max)`. */
export function formatPerHost(values: readonly number[]): string {
  const s = spread(values);
  if (!s.count) return '—';
  const m = Number.isInteger(s.median) ? String(s.median) : s.median.toFixed(1);
  return s.min === s.max ? m : `${m} (${s.min}–${s.max})`;
}
