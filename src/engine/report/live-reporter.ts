// Live progress on a terminal with listr2: ONE ROW PER PLAYBOOK TASK showing how many hosts are ok,
// changed, failed, ... and still running. Per-host rows melted the renderer at a few hundred hosts,
// so hosts are only ever counted, and titles are refreshed at most every `throttleMs`.
// Failures, warnings and (with --diff) diffs are printed as text after the rows, then the recap.
import { DefaultRenderer, Listr, ListrLogger, ProcessOutput, type ListrTask } from 'listr2';
import type { Reporter, RunEvent, TaskInfo } from '../contract/events.js';
import { painter } from './ansi.js';
import { banner, formatResult, taskTitle, type FormatOptions } from './format.js';
import { recap, warningLine } from './text-reporter.js';
import { Row, RowQueue } from './live-rows.js';

export interface LiveReporterOptions {
  out?: NodeJS.WriteStream;
  verbosity?: number;
  diff?: boolean;
  color?: boolean;
  /** `default`: redrawn rows (a terminal); `simple`: one line per finished row. */
  renderer?: 'default' | 'simple';
  throttleMs?: number;
}

// listr2 decides "is this a terminal?" from process.stdout; we decide from our own stream.
class RowsRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

export function createLiveReporter(opts: LiveReporterOptions = {}): Reporter {
  const out = opts.out ?? process.stdout;
  const paint = painter(opts.color ?? false);
  const fmt: FormatOptions = { verbosity: opts.verbosity ?? 0, diff: opts.diff ?? false, color: opts.color ?? false, paint };
  const simple = opts.renderer === 'simple';
  const queue = new RowQueue();
  const open = new Map<string, Row>();
  const details: string[] = [];
  let detailsTask: string | undefined;
  let checkMode = false;
  let recapEvent: Extract<RunEvent, { type: 'recap' }> | undefined;

  // listr2 fixes a task list when it starts running, but rows appear as the executor reaches each
  // task. So each list holds one row plus an untitled "chain" task that waits for the next row and
  // then opens a list of its own; untitled tasks' subtasks render at their parent's level, so the
  // rows read as one flat list.
  const chain = (): ListrTask => ({
    task: async (_ctx, t) => {
      const row = await queue.next();
      if (!row) return;
      return t.newListr([rowTask(row), chain()], { concurrent: true, exitOnError: false });
    },
  });
  const rowTask = (row: Row): ListrTask => ({
    title: row.firstTitle,
    task: async (_ctx, t) => {
      // The simple renderer prints a line per title change: it only gets the final counts.
      if (!simple) row.attach((title) => (t.title = title));
      await row.finished;
      t.title = row.text();
    },
  });

  const logger = new ListrLogger({ useIcons: true, processOutput: new ProcessOutput(out, out) });
  const listr = new Listr([chain()], {
    renderer: simple ? 'simple' : RowsRenderer,
    rendererOptions: { logger, collapseSubtasks: false, formatOutput: 'truncate' },
    exitOnError: false,
    registerSignalListeners: false,
  });
  let running: Promise<unknown> | undefined;
  const start = () => {
    running ??= listr.run().catch(() => undefined);
  };

  const throttleMs = opts.throttleMs ?? 100;
  const dirty = new Set<Row>();
  const ticker = simple
    ? undefined
    : setInterval(() => {
        for (const r of dirty) r.flush();
        dirty.clear();
      }, throttleMs);
  ticker?.unref();

  const addRow = (row: Row) => {
    start();
    queue.push(row);
  };
  const rowFor = (task: TaskInfo, hosts?: number): Row => {
    let row = open.get(task.id);
    if (!row) {
      row = new Row(taskTitle(task), hosts ?? 0, paint);
      open.set(task.id, row);
      addRow(row);
    }
    return row;
  };
  const detail = (task: TaskInfo, lines: string[]) => {
    if (!lines.length) return;
    if (detailsTask !== task.id) details.push('', banner(taskTitle(task)));
    detailsTask = task.id;
    details.push(...lines);
  };

  return {
    on(event: RunEvent): void {
      switch (event.type) {
        case 'playbook_start':
          checkMode = event.checkMode;
          return;
        case 'play_start': {
          const row = new Row(`PLAY [${event.name.trim()}] ${event.hosts.length} host${event.hosts.length === 1 ? '' : 's'}`, 0, paint, false);
          row.finish();
          addRow(row);
          detailsTask = undefined;
          return;
        }
        case 'task_start':
          rowFor(event.task, event.hosts.length).expect(event.hosts.length);
          return;
        case 'host_result': {
          const row = rowFor(event.task);
          row.count(event.result);
          dirty.add(row);
          const r = event.result;
          const worth = r.status === 'failed' || r.status === 'unreachable' || (fmt.diff && !r.noLog && (r.diff?.length || r.items?.some((i) => i.diff?.length))) || r.warnings?.length;
          if (worth) detail(event.task, formatResult(event.task, event.host, r, fmt));
          return;
        }
        case 'task_end': {
          const row = open.get(event.task.id);
          row?.finish();
          if (row) dirty.delete(row);
          open.delete(event.task.id);
          return;
        }
        case 'warning':
          details.push(warningLine(event, paint));
          return;
        case 'recap':
          recapEvent = event;
          return;
        default:
          return;
      }
    },
    async close(): Promise<void> {
      for (const row of open.values()) row.finish();
      open.clear();
      queue.close();
      if (ticker) clearInterval(ticker);
      if (running) await running;
      const lines = [...details];
      if (recapEvent) lines.push(...recap(recapEvent, checkMode, paint));
      if (lines.length) out.write(`${lines.join('\n')}\n`);
    },
  };
}
