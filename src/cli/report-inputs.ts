// The digests a --json report carries so that `report merge` can tell whether shard reports come
// from the same playbooks and inventory. Unlike a saved plan's digests these are not salted (each
// shard computes them alone, on its own machine), so secret-named values and every value the run
// knows to be secret are left out: a digest must not let anyone test guesses of a password.
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidInputError } from '../engine/contract/diagnostics.js';
import type { Inventory } from '../engine/contract/inventory.js';
import { digestTrees } from '../engine/plan/inputs.js';
import { isSecretName, type ReportMeta } from '../engine/report/index.js';
import { redactor } from './secrets.js';

/**
 * Every file under the playbooks' directories (roles, templates and vars files live there), except
 * run reports: shards that write their reports beside the playbook must still agree.
 */
export async function playbooksDigest(playbookPaths: readonly string[]): Promise<string> {
  // Paths relative to the first playbook's directory: shards may check the project out in different places.
  const base = dirname(playbookPaths[0]!);
  try {
    const tree = await digestTrees(playbookPaths.map((p) => dirname(p)), base);
    const all = createHash('sha256');
    for (const f of tree.files) if (!(await isRunReport(resolve(base, f.path)))) all.update(`${f.path}\0${f.sha256}\n`);
    return all.digest('hex');
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    // A playbook in a huge directory (a home): bind the playbook files themselves.
    const all = createHash('sha256');
    for (const p of playbookPaths) all.update(`${p}\0`).update(await readFile(p)).update('\n');
    return all.digest('hex');
  }
}

// A report being written by another shard (`NAME.PID.tmp`), or one written (as fleetplay writes
// them: the first keys in this order).
const REPORT_START = '{\n  "version": 1,\n  "playbook": ';
async function isRunReport(path: string): Promise<boolean> {
  if (/\.json\.\d+\.tmp$/.test(path)) return true;
  if (!path.endsWith('.json')) return false;
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return true;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(REPORT_START.length), 0, REPORT_START.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8') === REPORT_START;
  } finally {
    await handle.close();
  }
}

export function inventoryDigestForReport(inventories: readonly Inventory[]): string {
  const view = inventories.map((inv) =>
    [...inv.hosts.keys()].sort().map((h) => ({ host: h, groups: [...inv.groupNames(h)].sort(), vars: withoutSecrets(inv.hostVars(h)) })),
  );
  return createHash('sha256').update(canonical(view)).digest('hex');
}

export async function reportInputs(playbookPaths: readonly string[], inventories: readonly Inventory[]): Promise<NonNullable<ReportMeta['inputs']>> {
  return { playbooks: await playbooksDigest(playbookPaths), inventory: inventoryDigestForReport(inventories) };
}

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretName(k) ? '<secret>' : withoutSecrets(v);
    return out;
  }
  return typeof value === 'string' ? redactor.text(value) : value;
}

// Sorted keys: the same inventory read twice must give the same text.
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return v;
  });
}
