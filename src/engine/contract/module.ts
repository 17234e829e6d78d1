// The module contract: a module is one object { meta, schema, read, plan, apply }. The engine
// decides whether apply runs (never in check mode); read must never write; plan is pure.
import type { TSchema } from 'typebox';
import type { InventoryChange } from './inventory.js';
import type { Become, Connection, ExecOptions, ExecResult, FileOpOptions, FileStat, WriteOptions, WriteResult } from './connection.js';

export type Platform = 'linux' | 'windows';

export interface ModuleMeta {
  /** snake_case playbook name, e.g. `lineinfile`; also accepted as `ansible.builtin.<name>`. */
  name: string;
  /** Other accepted names, e.g. `systemd` for `service`. */
  aliases?: string[];
  /**
   * Ansible collections whose FQCN names this module answers to (`<collection>.<name or alias>`),
   * e.g. ['ansible.posix'] for sysctl. Default ['ansible.builtin']. `fleetplay.<name>` always works.
   */
  collections?: string[];
  /** One line, shown by `fleetplay doc` and the README. */
  description: string;
  platforms: Platform[];
  /**
   * full: read+plan run in check mode and the plan is reported as "would change".
   * none: read+plan still run in check mode (read is safe); a plan WITH changes is reported as
   * skipped ("not supported in check mode"), a plan without changes as ok (e.g. `creates` exists).
   */
  checkMode: 'full' | 'none';
  /**
   * When the task gives a plain string (`command: uname -r`), it becomes this argument.
   * `key=value` words in the string are split into args only for keys listed in freeFormKeys.
   * Modules without freeForm parse the whole string as `key=value ...` (Ansible's k=v form).
   */
  freeForm?: string;
  freeFormKeys?: string[];
  /** controller: never touches the host (debug, set_fact, assert, fail); no connection needed. */
  runsOn?: 'host' | 'controller';
  /**
   * lazy: a host that cannot be connected to is not unreachable before the module runs; the module
   * connects itself through ctx.reconnect (wait_for_connection).
   */
  connect?: 'eager' | 'lazy';
  /** Example YAML for docs. */
  example?: string;
  /** Paragraphs `fleetplay doc` and the README show after the arguments: rules a user must know. */
  notes?: string[];
  /**
   * The fields of the registered result this module adds (beyond changed/failed/msg), each with one
   * line of description; `fleetplay doc` and the README list them.
   */
  returns?: Record<string, string>;
  /**
   * How the engine can check, after apply, that the host now matches the plan (see Module.verify):
   * `replan` (the default for checkMode 'full'): read again and expect an empty plan;
   * `none`: the module cannot show it (a command that was run, a restart); its tasks are
   * "not verifiable" in saved plans.
   */
  verify?: 'replan' | 'none';
  /** Runs once per task, on the first host only, as Ansible's add_host does (no result for the others). */
  once?: boolean;
  /**
   * The module's read depends only on the host's files and its args (no clock, no network, no
   * processes): the engine may send it early, together with other tasks' reads, in one round trip
   * (run/read-ahead.ts). Its first remote command must not depend on controller state that earlier
   * tasks change.
   */
  readAhead?: boolean;
}

/** Structured diff items; the reporter renders them (unified diff for text, `key: a → b` for fields). */
export type DiffItem =
  | { kind: 'text'; path: string; before: string; after: string }
  | { kind: 'fields'; label?: string; fields: Array<{ key: string; before: unknown; after: unknown }> };

/**
 * What plan returns and apply carries out. `changes` is the contract between the two: each change
 * holds every value apply needs (paths, content, unit names, scripts), so apply never looks at the
 * task's args or at what read returned, and a plan can be stored, reviewed and compared (saved plans
 * digest it; Buffers are digested, not stored). Changes must be plain JSON data or Buffers.
 */
export interface Plan<Change = unknown> {
  /** Empty = nothing to do ("ok"); non-empty = "changed" (or "would change" in check mode). */
  changes: Change[];
  diff?: DiffItem[];
  /** Why nothing needs doing, or a summary of what will be done (shown with -v and in JSON). */
  reason?: string;
  warnings?: string[];
  /** Fields merged into the task's result record (registered), e.g. stat's `stat`, debug's `msg`. */
  result?: Record<string, unknown>;
  /** Set: the task fails with this message before anything is applied. */
  failed?: string;
  /** set_fact: host variables to set (precedence: registered/set_fact). */
  setVars?: Record<string, unknown>;
  /** include_vars: host variables at include_vars precedence (below set_fact); templated on use. */
  includeVars?: Record<string, unknown>;
  /** setup and friends: merged into the host's ansible_facts (and ansible_* top-level aliases). */
  facts?: Record<string, unknown>;
  /** add_host, group_by: changes to the run's inventory, made even in check mode. */
  inventory?: InventoryChange[];
}

export interface ApplyResult {
  /** Fields merged into the task's result record: rc, stdout, stderr, backup_file, ... */
  result?: Record<string, unknown>;
  /** Set: the task failed with this message. */
  failed?: string;
  /** Override "changed" (default true when apply ran). */
  changed?: boolean;
  warnings?: string[];
  facts?: Record<string, unknown>;
}

/** What a module may do on its host. Become, environment and cancellation are applied for it. */
export interface HostContext {
  readonly host: string;
  readonly conn: Connection;
  readonly shell: 'posix' | 'powershell';
  readonly become?: Become;
  readonly env: Readonly<Record<string, string>>;
  /** The host's ansible_facts gathered so far (read-only). */
  readonly facts: Readonly<Record<string, unknown>>;
  readonly checkMode: boolean;
  readonly signal: AbortSignal;
  run(command: string, opts?: ExecOptions): Promise<ExecResult>;
  readFile(path: string, opts?: FileOpOptions): Promise<{ data: Buffer; stat: FileStat } | null>;
  writeFile(path: string, data: Buffer | string, opts?: WriteOptions): Promise<WriteResult>;
  stat(path: string, opts?: FileOpOptions): Promise<FileStat>;
  putFile(localPath: string, remotePath: string, opts?: WriteOptions): Promise<WriteResult>;
  /** Resolves a controller-side `src:` against the role's files/ (or templates/) dir, then the playbook dir. */
  controllerPath(kind: 'files' | 'templates' | 'vars', path: string): string;
  /** include_vars: a controller YAML/JSON vars file (vaulted or not) as a mapping; throws when unusable. */
  loadVarsFile?(path: string): Promise<Record<string, unknown>>;
  /** Renders a template file's text with the task's variables (template module). */
  renderTemplate(text: string, sourcePath: string): string;
  /**
   * reboot, wait_for_connection: drop the host's pooled connection and open a new one, which this
   * context (and every later task on the host) then uses. Throws UnreachableError when the connect
   * fails. Absent where there is no pool (delegated tasks, module unit tests).
   */
  reconnect?(opts?: { connectTimeoutMs?: number }): Promise<void>;
}

/** Pure helpers a plan may use; no I/O. */
export interface PlanContext {
  readonly host: string;
  readonly checkMode: boolean;
  readonly facts: Readonly<Record<string, unknown>>;
  /** Evaluates a Jinja expression (no braces) with the task's variables: debug var=, assert that:. */
  evaluate(expr: string): unknown;
  evaluateCondition(expr: string): boolean;
}

/** Cluster-wide preflight: runs over every targeted host's (args, current) before any host changes. */
export interface PreflightResult {
  errors: string[];
  warnings: string[];
}

export interface Module<Args = any, Current = any, Change = any> {
  meta: ModuleMeta;
  /** TypeBox schema of the args; `Args` should be `Static<typeof schema>`. */
  schema: TSchema;
  /** Facts only: must never write. */
  read(ctx: HostContext, args: Args): Promise<Current>;
  /** Pure: desired (args) vs current, no I/O. */
  plan(args: Args, current: Current, ctx: PlanContext): Plan<Change>;
  /** Carries out exactly `plan.changes` (called only when there are some, never in check mode). */
  apply(ctx: HostContext, plan: Plan<Change>): Promise<ApplyResult>;
  /**
   * After apply, with what read returns now: what still differs from the plan's intended state
   * (empty = converged). Default for `meta.verify: 'replan'`: plan again and report any change left.
   * Modules whose plan always acts (a restart) give their own check here.
   */
  verify?(args: Args, after: Current, ctx: PlanContext): string[];
  preflight?(targets: Array<{ host: string; args: Args; current: Current }>): PreflightResult;
  /**
   * The part of what read returned that says whether the host changed, for saved plans: leave out
   * what differs between two reads of an unchanged host (access times, elapsed seconds). Default:
   * all of it.
   */
  planState?(current: Current): unknown;
}

/** name (and every alias, and `ansible.builtin.<name>`) → module; built by src/modules/registry.ts. */
export interface ModuleRegistry {
  get(name: string): Module | undefined;
  names(): string[];
  all(): Module[];
}
