// Several reporters behind one (text or live on the terminal, plus --json), and the choice between
// live rows and plain lines.
import type { Reporter, RunEvent } from '../contract/events.js';
import { createLiveReporter } from './live-reporter.js';
import { createTextReporter } from './text-reporter.js';

export function createMultiReporter(list: Reporter[]): Reporter {
  return {
    on(event: RunEvent): void {
      for (const r of list) r.on(event);
    },
    async close(): Promise<void> {
      // Every reporter gets closed even if one fails (e.g. the JSON file cannot be written).
      const failures: unknown[] = [];
      for (const r of list) await r.close().catch((e: unknown) => failures.push(e));
      if (failures.length) throw failures[0];
    },
  };
}

export interface ChooseReporterOptions {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  verbosity: number;
  diff: boolean;
  color: boolean;
}

/**
 * Live rows on a terminal; Ansible-like lines otherwise (pipes, CI logs) and with -v, whose
 * per-host module output has no place in a one-row-per-task display.
 */
export function chooseReporter(opts: ChooseReporterOptions): Reporter {
  if (opts.out.isTTY && opts.verbosity === 0) {
    return createLiveReporter({ out: opts.out as NodeJS.WriteStream, diff: opts.diff, color: opts.color });
  }
  return createTextReporter(opts.out, { verbosity: opts.verbosity, diff: opts.diff, color: opts.color });
}
