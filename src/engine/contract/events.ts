// What the executor tells the reporters. Reporters (text, live, json) only consume these events;
// they never reach back into the executor.
import type { Loc } from './diagnostics.js';
import type { DiffItem } from './module.js';

export type HostStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface TaskResult {
  status: HostStatus;
  /** failed but ignore_errors: counted as `ignored`, the host goes on. */
  ignored?: boolean;
  /** failed inside a block whose rescue ran: counted as `rescued`. */
  rescued?: boolean;
  msg?: string;
  /** Why nothing was done (no-op reason) or why skipped ("when: false", "undetermined in check mode"). */
  reason?: string;
  diff?: DiffItem[];
  warnings?: string[];
  /** The registered form (changed, failed, skipped, msg, rc, stdout, stderr, stdout_lines, ...). */
  data: Record<string, unknown>;
  /** Loop tasks: one result per item, in order. */
  items?: Array<TaskResult & { label: string }>;
  /** Check mode: the status means "would". */
  checkMode?: boolean;
  /** no_log: reporters print "the output has been hidden" instead of data/msg/diff. */
  noLog?: boolean;
  durationMs: number;
  /** delegate_to target, when not the host itself. */
  delegatedTo?: string;
}

export interface TaskInfo {
  id: string;
  name: string;
  module: string;
  loc: Loc;
  isHandler: boolean;
  role?: string;
}

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export type RunEvent =
  | { type: 'playbook_start'; path: string; checkMode: boolean; diffMode: boolean }
  | { type: 'play_start'; playId: string; name: string; loc: Loc; hosts: string[] }
  | { type: 'task_start'; task: TaskInfo; hosts: string[] }
  | { type: 'host_result'; task: TaskInfo; host: string; result: TaskResult }
  | { type: 'task_end'; task: TaskInfo }
  | { type: 'play_end'; playId: string }
  | { type: 'warning'; message: string; host?: string; loc?: Loc }
  /**
   * -vvv (level 3): what the engine asks of a host's connection (connect, each command, file transfers);
   * -vvvv (level 4): the transport's own trace (SSH handshake, WinRM HTTP exchanges). Redacted like the rest.
   */
  | { type: 'trace'; host: string; level: 3 | 4; message: string }
  | {
      type: 'recap';
      stats: Record<string, HostStats>;
      interrupted?: boolean;
      /** Interrupted: host → the task it was at (last started). */
      interruptedAt?: Record<string, string>;
      pendingHandlers?: Record<string, string[]>;
      /** POSIX hosts: remote commands started and reads answered by a batch (connection/read-ahead.ts). */
      remote?: Record<string, { commands: number; readAhead: number }>;
    };

export interface Reporter {
  on(event: RunEvent): void;
  /** Flush and stop (live renderer); called once at the end, also on interrupt. */
  close(): Promise<void>;
}
