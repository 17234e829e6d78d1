// ansible-playbook's output, line by line: banners, one line per host result, diffs, warnings and
// the PLAY RECAP. Used when stdout is not a terminal (logs, CI) and with -v.
import type { HostStats, Reporter, RunEvent, TaskInfo } from '../contract/events.js';
import { formatLoc } from '../contract/diagnostics.js';
import { painter, type Paint } from './ansi.js';
import { banner, formatResult, recapLines, taskTitle, type FormatOptions } from './format.js';

export interface TextReporterOptions {
  verbosity: number;
  diff: boolean;
  color: boolean;
}

export function createTextReporter(out: NodeJS.WritableStream, opts: TextReporterOptions): Reporter {
  const paint = painter(opts.color);
  const fmt: FormatOptions = { ...opts, paint };
  let checkMode = false;
  // With the free strategy results of several tasks interleave: re-print the banner of the task a
  // result belongs to whenever it is not the last one printed, as Ansible does.
  let lastBanner: string | undefined;
  const write = (lines: string[]) => {
    if (lines.length) out.write(`${lines.join('\n')}\n`);
  };
  const taskBanner = (task: TaskInfo) => {
    lastBanner = task.id;
    write(['', banner(taskTitle(task))]);
  };

  return {
    on(event: RunEvent): void {
      switch (event.type) {
        case 'playbook_start':
          checkMode = event.checkMode;
          if (opts.verbosity > 1) write([`PLAYBOOK: ${event.path}${event.checkMode ? ' (check mode)' : ''}`]);
          return;
        case 'play_start':
          lastBanner = undefined;
          write(['', banner(event.name.trim() ? `PLAY [${event.name.trim()}]` : 'PLAY')]);
          return;
        case 'task_start':
          taskBanner(event.task);
          return;
        case 'host_result':
          if (lastBanner !== event.task.id) taskBanner(event.task);
          write(formatResult(event.task, event.host, event.result, fmt));
          return;
        case 'warning':
          write([warningLine(event, paint)]);
          return;
        case 'trace':
          if (opts.verbosity >= event.level) write([`<${event.host}> ${event.message}`]);
          return;
        case 'recap':
          write(recap(event, checkMode, paint));
          return;
        default:
          return;
      }
    },
    async close(): Promise<void> {
      // Streams like stdout flush on their own; waiting for 'drain' here could hang on a closed pipe.
    },
  };
}

export function warningLine(event: Extract<RunEvent, { type: 'warning' }>, paint: Paint): string {
  const where = event.loc ? `${formatLoc(event.loc)}: ` : '';
  const who = event.host ? `[${event.host}]: ` : '';
  return paint('warning', `[WARNING]: ${who}${where}${event.message}`);
}

export function recap(
  event: { stats: Record<string, HostStats>; interrupted?: boolean; interruptedAt?: Record<string, string>; pendingHandlers?: Record<string, string[]> },
  checkMode: boolean,
  paint: Paint,
): string[] {
  const lines = ['', banner(checkMode ? 'PLAY RECAP [CHECK MODE: no changes were made]' : 'PLAY RECAP'), ...recapLines(event.stats, paint)];
  const pending = Object.entries(event.pendingHandlers ?? {}).filter(([, list]) => list.length);
  if (event.interrupted) {
    lines.push('', paint('warning', '[WARNING]: the run was interrupted; hosts stopped where they were'));
    const at = Object.entries(event.interruptedAt ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
    if (at.length) lines.push('INTERRUPTED AT (the last task each host started):', ...at.map(([host, task]) => `  ${host}: ${task}`));
  }
  if (pending.length) {
    // Under --check nothing changed and nothing was journaled: the advice is what a real run would do.
    lines.push(
      '',
      checkMode
        ? 'HANDLERS A REAL RUN WOULD RUN (notified, but this check ended before they ran):'
        : 'NOTIFIED HANDLERS THAT DID NOT RUN (run the play again, or use --force-handlers):',
    );
    for (const [host, list] of pending.sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`  ${host}: ${list.join(', ')}`);
  }
  return [...lines, ''];
}
