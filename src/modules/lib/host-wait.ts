// Waiting for a host to come (back) up, shared by reboot and wait_for_connection: each attempt drops
// the host's pooled connection and opens a new one (a connection from before a reboot is dead even
// when it does not know it yet), then runs a probe over it. Attempts back off from 1 s to `sleepMs`.
import { setTimeout as sleep } from 'node:timers/promises';
import type { HostContext } from '../../engine/contract/module.js';

export interface WaitOptions {
  /** Give up at this time (ms since the epoch). */
  deadline: number;
  connectTimeoutMs?: number;
  /** The longest pause between attempts (default 5 s). */
  sleepMs?: number;
  /** True when the host is where we want it; a thrown error or false means "not yet". */
  probe: (ctx: HostContext) => Promise<boolean | string>;
}

export type WaitResult = { ok: true } | { ok: false; lastError: string };

export async function waitForHost(ctx: HostContext, o: WaitOptions): Promise<WaitResult> {
  const reconnect = ctx.reconnect;
  if (!reconnect) return { ok: false, lastError: "this task cannot reconnect to its host (delegate_to, or no connection pool)" };
  let pause = Math.min(1000, o.sleepMs ?? 5000);
  let lastError = 'no attempt was made';
  for (;;) {
    if (ctx.signal.aborted) return { ok: false, lastError: 'interrupted' };
    try {
      await reconnect({ connectTimeoutMs: o.connectTimeoutMs === undefined ? undefined : Math.max(1000, Math.min(o.connectTimeoutMs, o.deadline - Date.now())) });
      const r = await o.probe(ctx);
      if (r === true) return { ok: true };
      lastError = typeof r === 'string' ? r : 'the probe did not pass';
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    const left = o.deadline - Date.now();
    if (left <= 0) return { ok: false, lastError };
    await sleep(Math.min(pause, left), undefined, { signal: ctx.signal }).catch(() => undefined);
    pause = Math.min(pause * 2, o.sleepMs ?? 5000);
  }
}

/** A pause that ends early when the run is interrupted. */
export function pause(ctx: HostContext, ms: number): Promise<void> {
  return ms > 0 ? sleep(ms, undefined, { signal: ctx.signal }).catch(() => undefined) : Promise.resolve();
}
