import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/engine/contract/events.js';
import { chooseReporter, createLiveReporter } from '../../../src/engine/report/index.js';
import { loc, result, sink, stats, task } from '../../support/report-events.js';

/** A stream that says it is a terminal, as listr2's redrawing renderer needs. */
function fakeTerminal(): { out: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  let buf = '';
  stream.on('data', (d: Buffer) => (buf += d.toString()));
  Object.assign(stream, { isTTY: true, columns: 160, rows: 50 });
  return { out: stream as unknown as NodeJS.WriteStream, text: () => buf };
}

const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

async function fleetRun(reporter: { on(e: RunEvent): void; close(): Promise<void> }, hostCount: number, taskCount: number): Promise<void> {
  const hosts = Array.from({ length: hostCount }, (_, i) => `hpc-node${String(i + 1).padStart(3, '0')}`);
  reporter.on({ type: 'playbook_start', path: 'site.yml', checkMode: false, diffMode: false });
  reporter.on({ type: 'play_start', playId: 'p', name: 'HPC fabric', loc, hosts });
  for (let n = 0; n < taskCount; n++) {
    const t = task(`t${n}`, `step ${n}`);
    reporter.on({ type: 'task_start', task: t, hosts });
    for (const [i, host] of hosts.entries()) {
      const status = n === 3 && i === 6 ? 'failed' : n === 5 && i < 2 ? 'unreachable' : n % 2 ? 'changed' : 'ok';
      reporter.on({ type: 'host_result', task: t, host, result: result(status, { msg: status === 'failed' ? 'mlnxofedinstall exited 172' : undefined }) });
      // Let the renderer tick now and then, as it would during a real run.
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    reporter.on({ type: 'task_end', task: t });
  }
  reporter.on({ type: 'play_end', playId: 'p' });
  reporter.on({ type: 'recap', stats: Object.fromEntries(hosts.map((h) => [h, stats({ ok: 5, changed: 5 })])) });
  await reporter.close();
}

// listr2 sizes rows by process.stdout's width, whatever stream it draws on; under the test runner
// that may be a narrow pipe, so give it a terminal's width for these tests.
let savedColumns: PropertyDescriptor | undefined;
beforeEach(() => {
  savedColumns = Object.getOwnPropertyDescriptor(process.stdout, 'columns');
  Object.defineProperty(process.stdout, 'columns', { value: 160, configurable: true, writable: true });
});
afterEach(() => {
  if (savedColumns) Object.defineProperty(process.stdout, 'columns', savedColumns);
  else delete (process.stdout as { columns?: number }).columns;
});

describe('live reporter', () => {
  it('completes with 500 hosts × 10 tasks, one row per task with host counts, then failures and the recap', async () => {
    const term = fakeTerminal();
    await fleetRun(createLiveReporter({ out: term.out, throttleMs: 5 }), 500, 10);
    const text = strip(term.text());
    // The final frame has exactly one row per task, never one per host.
    const finalFrame = text.slice(text.lastIndexOf('PLAY [HPC fabric]'), text.indexOf('PLAY RECAP'));
    expect(finalFrame.match(/^✔ TASK \[step \d\]/gm)).toHaveLength(10);
    expect(finalFrame).toContain('TASK [step 3]  ok 499 · changed 499 · failed 1 · skipped 0 · unreachable 0');
    expect(finalFrame).toContain('TASK [step 5]  ok 498 · changed 498 · failed 0 · skipped 0 · unreachable 2');
    expect(finalFrame).not.toContain('hpc-node');
    // The failure was printed as it happened: before the later tasks' rows appeared.
    const fatal = text.indexOf('fatal: [hpc-node007]: FAILED! => {"changed": false, "msg": "mlnxofedinstall exited 172"}');
    expect(fatal).toBeGreaterThan(-1);
    expect(fatal).toBeLessThan(text.indexOf('TASK [step 9]'));
    expect(text.indexOf('fatal: [hpc-node007]', fatal + 1)).toBe(-1);
    expect(text).toContain('PLAY RECAP ****');
    expect(text.match(/^hpc-node\d{3} +: ok=5/gm)).toHaveLength(500);
  });

  it('names the hosts a running task still waits on', async () => {
    const term = fakeTerminal();
    const r = createLiveReporter({ out: term.out, throttleMs: 5 });
    const t = task('t', 'slow');
    r.on({ type: 'play_start', playId: 'p', name: 'x', loc, hosts: ['a', 'b', 'c'] });
    r.on({ type: 'task_start', task: t, hosts: ['a', 'b', 'c'] });
    r.on({ type: 'host_result', task: t, host: 'a', result: result('changed') });
    await new Promise((res) => setTimeout(res, 200));
    expect(strip(term.text())).toContain('TASK [slow]  ok 1 · changed 1 · failed 0 · skipped 0 · unreachable 0 · running 2: b, c');
    await r.close();
  });

  it('draws at most one frame per tick while counts change, and about one a second while they do not', async () => {
    const term = fakeTerminal();
    // log-update starts every frame by going back to column 1.
    const frames = () => term.text().split('\x1b[G').length - 1;
    const r = createLiveReporter({ out: term.out, throttleMs: 50 });
    const hosts = Array.from({ length: 300 }, (_, i) => `h${i}`);
    const t = task('t', 'busy');
    r.on({ type: 'play_start', playId: 'p', name: 'x', loc, hosts });
    r.on({ type: 'task_start', task: t, hosts });
    await new Promise((res) => setTimeout(res, 20));
    const start = Date.now();
    const before = frames();
    for (const host of hosts) {
      r.on({ type: 'host_result', task: t, host, result: result('ok') });
      await new Promise((res) => setTimeout(res, 2));
    }
    const busyTicks = (Date.now() - start) / 50;
    const busyFrames = frames() - before;
    // A frame per tick at most (the row's start may add one): not one per result (300), nor per title change.
    expect(busyFrames).toBeGreaterThan(0);
    expect(busyFrames).toBeLessThanOrEqual(Math.ceil(busyTicks) + 2);
    const quietBefore = frames();
    await new Promise((res) => setTimeout(res, 1200));
    // Nothing changed for 1.2 s: the spinner's frame, once a second.
    expect(frames() - quietBefore).toBeGreaterThanOrEqual(1);
    expect(frames() - quietBefore).toBeLessThanOrEqual(2);
    expect(strip(term.text())).toContain('TASK [busy]  ok 300 · changed 0 · failed 0 · skipped 0 · unreachable 0 · running 0');
    await r.close();
  });

  it('prints one line per finished row with the simple renderer', async () => {
    const { out, text } = sink();
    await fleetRun(createLiveReporter({ out: out as NodeJS.WriteStream, renderer: 'simple' }), 20, 3);
    const done = strip(text()).split('\n').filter((l) => l.includes('TASK [step') && !l.includes('running'));
    expect(done).toEqual([
      '✔ TASK [step 0]  ok 20 · changed 0 · failed 0 · skipped 0 · unreachable 0',
      '✔ TASK [step 1]  ok 20 · changed 20 · failed 0 · skipped 0 · unreachable 0',
      '✔ TASK [step 2]  ok 20 · changed 0 · failed 0 · skipped 0 · unreachable 0',
    ]);
  });
});

describe('chooseReporter', () => {
  const events = (r: { on(e: RunEvent): void }) => {
    const t = task('t', 'x');
    r.on({ type: 'play_start', playId: 'p', name: 'x', loc, hosts: ['a'] });
    r.on({ type: 'task_start', task: t, hosts: ['a'] });
    r.on({ type: 'host_result', task: t, host: 'a', result: result('ok') });
  };

  it('writes Ansible-like lines at once when the output is not a terminal', async () => {
    const { out, text } = sink();
    const r = chooseReporter({ out, verbosity: 0, diff: false, color: false });
    events(r);
    expect(text()).toContain('ok: [a]\n');
    await r.close();
  });

  it('draws task rows on a terminal, and falls back to lines with -v', async () => {
    const term = fakeTerminal();
    const live = chooseReporter({ out: term.out, verbosity: 0, diff: false, color: false });
    events(live);
    await live.close();
    expect(strip(term.text())).toContain('TASK [x]  ok 1');
    expect(term.text()).not.toContain('ok: [a]');

    const verbose = fakeTerminal();
    const text = chooseReporter({ out: verbose.out, verbosity: 1, diff: false, color: false });
    events(text);
    await text.close();
    expect(verbose.text()).toContain('ok: [a] => {"changed": false}');
  });
});
