// Fuzzing budgets. `npm test` runs the defaults (bounded to well under a minute in total);
// FLEETPLAY_FUZZ_SCALE=10 multiplies every count for a longer bug hunt.
const scale = Number(process.env.FLEETPLAY_FUZZ_SCALE ?? '1');

export function runs(n: number): number {
  return Math.max(1, Math.round(n * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
