// Synthetic executor events for reporter tests.
import type { HostStats, RunEvent, TaskInfo, TaskResult } from '../../src/engine/contract/events.js';

export const loc = { file: 'site.yml', line: 3, col: 5 };

export function task(id: string, name: string, extra: Partial<TaskInfo> = {}): TaskInfo {
  return { id, name, module: 'command', loc, isHandler: false, ...extra };
}

export function result(status: TaskResult['status'], extra: Partial<TaskResult> = {}): TaskResult {
  return { status, data: { changed: status === 'changed' }, durationMs: 12, ...extra };
}

export function stats(partial: Partial<HostStats> = {}): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0, ...partial };
}

/** Collects what a reporter writes. */
export function sink(): { out: NodeJS.WritableStream; text: () => string } {
  let buf = '';
  const out = { write: (chunk: string | Uint8Array) => ((buf += chunk.toString()), true) } as unknown as NodeJS.WritableStream;
  return { out, text: () => buf };
}

export function feed(reporter: { on(e: RunEvent): void }, events: RunEvent[]): void {
  for (const e of events) reporter.on(e);
}
