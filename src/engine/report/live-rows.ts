// The state behind one live row: host counts for a playbook task, and the queue that hands new
// rows to the listr2 task list while it is already running.
import type { HostStats, TaskResult } from '../contract/events.js';
import { countResult, emptyStats } from '../contract/stats.js';
import type { Paint } from './ansi.js';

/** How many waiting hosts a running row names before it says "+N more". */
const NAMED_WAITING = 3;

export class Row {
  // Counted exactly as the recap counts (ok includes changed), so the rows add up to the recap.
  private readonly counts: HostStats = emptyStats();
  private readonly waiting = new Set<string>();
  private received = 0;
  private done = false;
  private setTitle?: (title: string) => void;
  private shown = '';
  private resolve!: () => void;
  readonly finished = new Promise<void>((r) => (this.resolve = r));

  constructor(
    private readonly label: string,
    private expected: number,
    private readonly paint: Paint,
    private readonly withCounts = true,
  ) {
    this.firstTitle = this.text();
  }

  /** The title when the row appeared (the listr2 task is created a little later). */
  readonly firstTitle: string;

  /** The hosts this task runs on (a task may start again for another serial batch). */
  expect(hosts: readonly string[]): void {
    for (const h of hosts) this.waiting.add(h);
    this.expected = Math.max(this.expected, this.received + this.waiting.size);
  }

  count(host: string, result: TaskResult): void {
    this.received++;
    this.waiting.delete(host);
    countResult(this.counts, result);
  }

  text(): string {
    if (!this.withCounts) return this.label;
    const c = this.counts;
    const bad = (key: 'failed' | 'unreachable') => (c[key] ? this.paint(key, `${key} ${c[key]}`) : `${key} 0`);
    const parts = [`ok ${c.ok}`, `changed ${c.changed}`, bad('failed'), `skipped ${c.skipped}`, bad('unreachable')];
    if (c.ignored) parts.push(`ignored ${c.ignored}`);
    if (c.rescued) parts.push(`rescued ${c.rescued}`);
    if (!this.done) parts.push(this.running());
    return `${this.label}  ${parts.join(' · ')}`;
  }

  /** `running 5: node01, node02, node03 +2 more` — which hosts the task still waits on. */
  private running(): string {
    const n = this.waiting.size || Math.max(0, this.expected - this.received);
    if (this.waiting.size === 0) return `running ${n}`;
    const names = [...this.waiting].slice(0, NAMED_WAITING);
    const more = this.waiting.size - names.length;
    return `running ${n}: ${names.join(', ')}${more > 0 ? ` +${more} more` : ''}`;
  }

  /** Called by the row's listr2 task once it runs; titles set through it are redrawn. */
  attach(setTitle: (title: string) => void): void {
    this.setTitle = setTitle;
    this.flush();
  }

  /** Pushes the current counts to the screen if they changed since the last push. */
  flush(): void {
    if (!this.setTitle) return;
    const t = this.text();
    if (t === this.shown) return;
    this.shown = t;
    this.setTitle(t);
  }

  finish(): void {
    this.done = true;
    this.resolve();
  }
}

/** Rows in arrival order; `next()` waits for one, or gives null once closed. */
export class RowQueue {
  private readonly items: Row[] = [];
  private waiter?: (row: Row | null) => void;
  private closed = false;

  push(row: Row): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(row);
    } else this.items.push(row);
  }

  next(): Promise<Row | null> {
    const row = this.items.shift();
    if (row) return Promise.resolve(row);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  close(): void {
    this.closed = true;
    this.waiter?.(null);
    this.waiter = undefined;
  }
}
