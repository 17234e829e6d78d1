// Live progress on a terminal with listr2: ONE ROW PER PLAYBOOK TASK showing how many hosts are ok,
// changed, failed, ... and still running. Per-host rows melted the renderer at a few hundred hosts,
// so hosts are only ever counted. listr2 lays the rows out; frames are drawn on our clock (at most one
// per `throttleMs`, only when something changed, or once a second to turn the spinner) and written by
// terminal-frame.ts, since listr2's own writer spent milliseconds measuring each frame.
// Failures are printed above the rows as they happen; warnings and (with --diff) diffs are printed as
// text after the rows, then the recap.
import { DefaultRenderer, Listr, ListrLogger, ProcessOutput, Spinner, type ListrTask } from 'listr2';
import type { Reporter, RunEvent, TaskInfo } from '../contract/events.js';
import { painter } from './ansi.js';
import { banner, formatResult, taskTitle, type FormatOptions } from './format.js';
import { recap, warningLine } from './text-reporter.js';
import { Row, RowQueue } from './live-rows.js';
import { createFrameWriter, truncateToWidth } from './terminal-frame.js';

export interface LiveReporterOptions {
  out?: NodeJS.WriteStream;
  verbosity?: number;
  diff?: boolean;
  color?: boolean;
  /** `default`: redrawn rows (a terminal); `simple`: one line per finished row. */
  renderer?: 'default' | 'simple';
  throttleMs?: number;
}

/** listr2's renderer, drawing only when the reporter's ticker says so, through a cheap frame writer. */
interface RowsRendererHooks {
  /** Set by the renderer when it starts: draws a frame now. */
  draw?: () => void;
  /** Something asked for a redraw (a row started or finished) since the last frame. */
  pending: boolean;
  /** Set by the renderer when it starts: prints lines above the rows at once. */
  persist?: (text: string) => void;
}

function rowsRendererFor(hooks: RowsRendererHooks): typeof DefaultRenderer {
  return class RowsRenderer extends DefaultRenderer {
    // listr2 decides "is this a terminal?" from process.stdout; we decide from our own stream.
    static override nonTTY = true;

    override async render(): Promise<void> {
      await super.render();
      // render() made log-update's writer and cli-truncate's cutter; ours draw the same frames
      // without measuring every grapheme (terminal-frame.ts).
      // The writer must use listr2's own handle on the stream: the stream's write() is captured
      // while listr2 draws, so that stray output does not tear the frame.
      const self = this as unknown as { updater: unknown; truncate: unknown; logger: ListrLogger };
      const writer = createFrameWriter(self.logger.process.stdout as NodeJS.WriteStream);
      self.updater = writer;
      self.truncate = (line: string, columns: number) => truncateToWidth(line, columns);
      hooks.draw = () => super.update();
      hooks.persist = (text) => writer.persist(text);
    }

    // listr2 redraws on every state and title change: note it, the ticker draws.
    override update(): void {
      hooks.pending = true;
    }
  };
}

/** listr2's spinner, without an interval of its own: the reporter's ticker turns it. */
class FrameClock extends Spinner {
  override start(): void {}
  override stop(): void {}
}

const QUIET_FRAME_MS = 1000;

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

  const clock = new FrameClock();
  const hooks: RowsRendererHooks = { pending: false };
  const logger = new ListrLogger({ useIcons: true, processOutput: new ProcessOutput(out, out) });
  const listr = new Listr([chain()], {
    renderer: simple ? 'simple' : rowsRendererFor(hooks),
    rendererOptions: { logger, collapseSubtasks: false, formatOutput: 'truncate', ...(simple ? {} : { spinner: clock }) },
    exitOnError: false,
    registerSignalListeners: false,
  });
  let running: Promise<unknown> | undefined;
  const start = () => {
    running ??= listr.run().catch(() => undefined);
  };

  const throttleMs = opts.throttleMs ?? 200;
  const dirty = new Set<Row>();
  let lastFrame = 0;
  const ticker = simple
    ? undefined
    : setInterval(() => {
        const now = Date.now();
        if (!hooks.draw || (dirty.size === 0 && !hooks.pending && now - lastFrame < QUIET_FRAME_MS)) return;
        for (const r of dirty) r.flush();
        dirty.clear();
        hooks.pending = false;
        lastFrame = now;
        clock.spin();
        hooks.draw();
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
  // A failure is news the operator should not wait for: printed now, above the rows (before the
  // renderer starts, or without a terminal, straight to the stream).
  let failureTask: string | undefined;
  const failure = (task: TaskInfo, lines: string[]) => {
    const head = failureTask !== task.id ? [banner(taskTitle(task))] : [];
    failureTask = task.id;
    const text = [...head, ...lines].join('\n');
    if (hooks.persist) hooks.persist(text);
    else out.write(`${text}\n`);
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
          rowFor(event.task, event.hosts.length).expect(event.hosts);
          return;
        case 'host_result': {
          const row = rowFor(event.task);
          row.count(event.host, event.result);
          dirty.add(row);
          const r = event.result;
          if (r.status === 'failed' || r.status === 'unreachable') {
            failure(event.task, formatResult(event.task, event.host, r, fmt));
            return;
          }
          const worth = (fmt.diff && !r.noLog && (r.diff?.length || r.items?.some((i) => i.diff?.length))) || r.warnings?.length;
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
