// Slot allocation across concurrent labs (several test files, a user's own lab): one claim file per
// slot under /run/fleetlab/slots, created under a short machine-wide lock. A claim whose lab directory
// no longer records that slot is stale (a crashed `up`, a deleted directory): its leftovers are
// cleaned up by the caller's reclaim function before the slot is reused.
import { mkdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SLOT_COUNT } from './addressing.js';

export const LAB_RUN_ROOT = '/run/fleetlab';
const SLOTS_DIR = join(LAB_RUN_ROOT, 'slots');
const LOCK_DIR = join(LAB_RUN_ROOT, 'lock');
const LOCK_STALE_MS = 30_000;
/** A fresh claim has no lab.json yet for a moment; do not reclaim it from under its owner. */
const CLAIM_GRACE_MS = 60_000;

interface Claim {
  dir: string;
  pid: number;
  at: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  await mkdir(LAB_RUN_ROOT, { recursive: true, mode: 0o700 });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await mkdir(LOCK_DIR);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const st = await stat(LOCK_DIR).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > LOCK_STALE_MS) await rmdir(LOCK_DIR).catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`lab: timed out waiting for ${LOCK_DIR} (remove it if no lab command is running)`);
      await sleep(20 + Math.random() * 30);
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(LOCK_DIR).catch(() => undefined);
  }
}

async function readClaim(slot: number): Promise<Claim | undefined> {
  try {
    return JSON.parse(await readFile(join(SLOTS_DIR, `${slot}.json`), 'utf8')) as Claim;
  } catch {
    return undefined;
  }
}

/** Does the claimed directory's lab.json still say it owns this slot? */
async function claimIsLive(slot: number, claim: Claim): Promise<boolean> {
  try {
    const state = JSON.parse(await readFile(join(claim.dir, 'lab.json'), 'utf8')) as { slot?: number };
    if (state.slot === slot) return true;
  } catch {
    // no lab.json (yet): live only during the grace period
  }
  return Date.now() - claim.at < CLAIM_GRACE_MS;
}

/**
 * Claims a free slot for `dir`. `reclaim(slot)` must remove whatever a stale owner left behind
 * (processes, mounts, namespaces, links) and is called while holding the lock.
 */
export async function allocateSlot(dir: string, reclaim: (slot: number) => Promise<void>): Promise<number> {
  return withLock(async () => {
    await mkdir(SLOTS_DIR, { recursive: true, mode: 0o700 });
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      const claim = await readClaim(slot);
      if (claim) {
        if (claim.dir === dir) throw new Error(`lab: ${dir} already has a lab (slot ${slot}); run 'fleetplay lab down --dir ${dir}' first`);
        if (await claimIsLive(slot, claim)) continue;
        await reclaim(slot);
      }
      const fresh: Claim = { dir, pid: process.pid, at: Date.now() };
      await writeFile(join(SLOTS_DIR, `${slot}.json`), `${JSON.stringify(fresh)}\n`, { mode: 0o600 });
      return slot;
    }
    throw new Error(`lab: all ${SLOT_COUNT} lab slots are in use; take some labs down ('fleetplay lab down --dir DIR')`);
  });
}

export async function releaseSlot(slot: number, dir: string): Promise<void> {
  await withLock(async () => {
    const claim = await readClaim(slot);
    if (claim && claim.dir === dir) await rm(join(SLOTS_DIR, `${slot}.json`), { force: true });
  });
}

/** The per-lab tmpfs holding host layers and runtime state (never inside the user's directory). */
export function labFsPath(slot: number): string {
  return join(LAB_RUN_ROOT, `lab${slot}`);
}
