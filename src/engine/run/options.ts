// The executor's public surface: what the CLI passes in (RunOptions) and gets back (RunSummary).
import type { ConnectionFactory, ConnectionSpec } from '../contract/connection.js';
import type { Diagnostic, ExitCode, Loc } from '../contract/diagnostics.js';
import type { HostStats, Reporter } from '../contract/events.js';
import type { Inventory } from '../contract/inventory.js';
import type { LocMap, HandlerNode, IncludeNode, PlayItem, VarBlock, RoleScope } from '../contract/playbook.js';
import type { Module, ModuleRegistry } from '../contract/module.js';
import type { HandlerJournal } from '../journal/index.js';
import type { Templater, VarLayer } from '../contract/template.js';
import type { PlanGate } from '../plan/gate.js';

/** Loads what a dynamic include names, at run time (helper functions of engine/load by default). */
export interface IncludeLoader {
  /** include_tasks: `file` is the templated path, resolved against `from.baseDir` by the loader. */
  includeTasks(file: string, from: IncludeNode): Promise<PlayItem[]>;
  /** include_role: the role's tasks (`tasksFrom`, default main) and its handlers. */
  includeRole(
    name: string,
    from: IncludeNode,
  ): Promise<{ items: PlayItem[]; handlers: HandlerNode[]; role: RoleScope }>;
}

/** The pieces of other layers the executor calls; defaults are the real ones (see services.ts). */
export interface RunServices {
  loader: IncludeLoader;
  /**
   * Coerces templated module args to the schema (Ansible's "yes" → true, "30" → 30) and validates
   * them; the module receives the coerced `args` when there are no error diagnostics.
   */
  prepareArgs(module: Module, args: Record<string, unknown>, argLocs: LocMap, taskLoc: Loc): { args: Record<string, unknown>; diagnostics: Diagnostic[] };
  /** Reads a vars file (vars_files entries whose path is templated, rendered per host). */
  loadVarsFile(path: string): Promise<VarBlock>;
  /** Renders a template file's text (template module). */
  renderTemplateFile(text: string, path: string, layers: readonly VarLayer[]): string;
  /** Connection settings for a host from its (templated) vars. */
  connectionSpec(host: string, vars: Record<string, unknown>): ConnectionSpec;
}

export interface RunOptions {
  inventory: Inventory;
  registry: ModuleRegistry;
  templater: Templater;
  connectionFactory: ConnectionFactory;
  reporter: Reporter;
  /** --check: no module's apply is called (task `check_mode: false` still runs for real). */
  checkMode?: boolean;
  /** --diff: include diffs in results. */
  diffMode?: boolean;
  /** Parallel hosts (default 50). */
  forks?: number;
  /**
   * --limit: host names already resolved (e.g. by inventory's applyLimit, which handles `@file`),
   * or a pattern matched with Inventory.select.
   */
  limit?: readonly string[] | string;
  /** Same as `limit` given as resolved host names (what inventory's applyLimit returns). */
  limitHosts?: readonly string[];
  tags?: readonly string[];
  skipTags?: readonly string[];
  /** --start-at-task NAME (exact or glob; "role : name" also matches). */
  startAtTask?: string;
  /** -e: highest precedence; values may hold `{{ }}`. */
  extraVars?: VarBlock;
  forceHandlers?: boolean;
  /**
   * After each apply that changed something, read the host again and fail the task if it does not
   * match the plan (modules whose meta says they cannot show it are not checked).
   */
  verifyAfterApply?: boolean;
  /** Saved plans: every module unit passes this gate after its plan (engine/plan/gate.ts). */
  planGate?: PlanGate;
  /** -v count; results carry module output regardless, reporters decide what to print. */
  verbosity?: number;
  /** Read-ahead on POSIX hosts (connection/read-ahead.ts); default on. FLEETPLAY_READ_AHEAD=0 turns it off. */
  readAhead?: boolean;
  /** First SIGINT: start no new task, let running module calls finish, then recap (exit 99). */
  signal?: AbortSignal;
  /** Second SIGINT: also cancel commands in flight (passed to every HostContext). */
  killSignal?: AbortSignal;
  /**
   * Handler journal of this playbook + inventory (engine/journal): handlers it holds for a host are
   * notified at the start of their play; notifications from real changes are added at once and
   * struck off when the handler ran. Open it read-only under --check. None: nothing is journaled.
   */
  journal?: HandlerJournal;
  /** Overrides of the default services (tests, embedding). */
  services?: Partial<RunServices>;
  /** -u, -b, --become-user, -k, -K and their ansible.cfg keys: below every keyword and variable. */
  connectionDefaults?: ConnectionDefaults;
}

/**
 * Connection settings from the command line or ansible.cfg. As in Ansible they have the lowest
 * precedence: a play's `become:` or an inventory's `ansible_user` overrides them.
 */
export interface ConnectionDefaults {
  user?: string;
  password?: string;
  privateKeyFile?: string;
  sshArgs?: string;
  become?: boolean;
  becomeUser?: string;
  becomePassword?: string;
}

export interface RunFailure {
  host: string;
  task: string;
  loc?: Loc;
  msg: string;
  unreachable: boolean;
}

export interface RunSummary {
  /** 0 ok, 2 a host failed (wins over 4), 4 a host unreachable, 99 interrupted. */
  exitCode: ExitCode;
  /** Every host that any play targeted, in first-seen order. */
  stats: Record<string, HostStats>;
  failures: RunFailure[];
  interrupted: boolean;
  /** Interrupted: the task each host was at (last started). */
  interruptedAt: Record<string, string>;
  /** Handlers notified but not run (host failed, play aborted, interrupt), per host, definition order. */
  pendingHandlers: Record<string, string[]>;
}
