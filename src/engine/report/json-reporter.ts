// --json FILE: the whole run as one JSON document (schema: json-schema.ts → schemas/report.json),
// written atomically when the run ends. no_log results keep only their status.
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../contract/diagnostics.js';
import type { Reporter, RunEvent, TaskInfo, TaskResult } from '../contract/events.js';
import type { HostResultReport, ItemResultReport, PlayReport, ReportMeta, RunReport, TaskReport } from './json-schema.js';

/**
 * `path` '-' writes the report to stdout (the CLI then prints its usual output on stderr). `meta` is
 * read when the report closes: the CLI fills in what it learns during the run (exit code, digests).
 */
export function createJsonReporter(path: string, meta: ReportMeta = {}): Reporter {
  if (path !== '-' && !existsSync(dirname(path))) throw new UsageError(`--json ${path}: the directory ${dirname(path)} does not exist`);
  const report: RunReport = {
    version: 1,
    playbook: '',
    playbooks: [],
    checkMode: false,
    diffMode: false,
    startedAt: new Date().toISOString(),
    endedAt: '',
    interrupted: false,
    plays: [],
    warnings: [],
    stats: {},
  };
  let play: PlayReport | undefined;
  let playbook = '';

  const taskEntry = (task: TaskInfo): TaskReport => {
    if (!play) {
      // A result outside any play (should not happen); keep it rather than lose it.
      play = { id: '', name: '', playbook, loc: task.loc, hosts: [], tasks: [] };
      report.plays.push(play);
    }
    let entry = play.tasks.find((t) => t.id === task.id);
    if (!entry) {
      entry = { id: task.id, name: task.name, module: task.module, isHandler: task.isHandler, loc: { ...task.loc }, results: [] };
      if (task.role) entry.role = task.role;
      play.tasks.push(entry);
    }
    return entry;
  };

  let closed = false;
  return {
    on(event: RunEvent): void {
      switch (event.type) {
        case 'playbook_start':
          playbook = event.path;
          if (!report.playbook) report.playbook = event.path;
          report.playbooks.push(event.path);
          report.checkMode ||= event.checkMode;
          report.diffMode ||= event.diffMode;
          return;
        case 'play_start':
          play = { id: event.playId, name: event.name, playbook, loc: { ...event.loc }, hosts: [...event.hosts], tasks: [] };
          report.plays.push(play);
          return;
        case 'task_start':
          taskEntry(event.task);
          return;
        case 'host_result':
          taskEntry(event.task).results.push({ host: event.host, ...resultReport(event.result), ...(event.result.delegatedTo && !event.result.noLog ? { delegatedTo: event.result.delegatedTo } : {}) });
          return;
        case 'warning':
          report.warnings.push({ message: event.message, ...(event.host ? { host: event.host } : {}), ...(event.loc ? { loc: { ...event.loc } } : {}) });
          return;
        case 'recap':
          for (const [host, s] of Object.entries(event.stats)) report.stats[host] = { ...s };
          if (event.remote && Object.keys(event.remote).length) report.remote = { ...report.remote, ...event.remote };
          if (event.interrupted) report.interrupted = true;
          if (event.pendingHandlers && Object.keys(event.pendingHandlers).length) report.pendingHandlers = { ...report.pendingHandlers, ...event.pendingHandlers };
          return;
        default:
          return;
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      report.endedAt = new Date().toISOString();
      // A shard with no host of its own sees no playbook start: the CLI still names what was run.
      if (!report.playbooks.length && meta.playbooks?.length) {
        report.playbooks = [...meta.playbooks];
        report.playbook = meta.playbooks[0]!;
      }
      report.checkMode ||= !!meta.checkMode;
      if (meta.exitCode !== undefined) report.exitCode = meta.exitCode;
      if (meta.inputs) report.inputs = { ...meta.inputs };
      if (meta.shard) report.shard = { ...meta.shard };
      if (path === '-') {
        await new Promise<void>((done) => process.stdout.write(`${JSON.stringify(report, jsonSafe(), 2)}\n`, () => done()));
        return;
      }
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(report, jsonSafe(), 2)}\n`);
      await rename(tmp, path);
    },
  };
}

function resultReport(r: TaskResult): Omit<HostResultReport, 'host'> {
  const counted = { ...(r.ignored ? { ignored: true } : {}), ...(r.rescued ? { rescued: true } : {}) };
  if (r.noLog) return { status: r.status, noLog: true, ...counted };
  const out: Omit<HostResultReport, 'host'> = { status: r.status, changed: r.status === 'changed' || r.data?.changed === true, ...counted };
  if (r.checkMode) out.checkMode = true;
  if (r.msg !== undefined) out.msg = r.msg;
  if (r.reason !== undefined) out.reason = r.reason;
  if (r.diff?.length) out.diff = r.diff.map((d) => ({ ...d }));
  if (r.warnings?.length) out.warnings = [...r.warnings];
  out.data = { ...(r.data ?? {}) };
  out.durationMs = Math.max(0, r.durationMs);
  if (r.items?.length) out.items = r.items.map((i): ItemResultReport => (i.noLog ? { status: i.status, noLog: true } : { label: i.label, ...resultReport(i) }));
  return out;
}

// Module data may hold values JSON cannot express: bigints become strings, Buffers a size note,
// and a reference cycle is cut instead of crashing the report.
function jsonSafe(): (this: unknown, key: string, value: unknown) => unknown {
  const stack: unknown[] = [];
  return function (this: unknown, _key: string, value: unknown) {
    if (typeof value === 'bigint') return value.toString();
    if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
      return `<${(value as { data: unknown[] }).data.length} bytes>`;
    }
    if (value === null || typeof value !== 'object') return value;
    while (stack.length && stack[stack.length - 1] !== this) stack.pop();
    if (stack.includes(value)) return '[circular]';
    stack.push(value);
    return value;
  };
}
