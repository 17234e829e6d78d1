// The typed playbook the loader produces and the executor runs. Every node keeps the location of
// its source so that any later error (validation, templating, a failed `when`) can point at it.
import type { Loc } from './diagnostics.js';

/** JSON-pointer path (`/args/line`, `/loop/3`) → location of that YAML node. */
export type LocMap = Readonly<Record<string, Loc>>;

/** A Jinja expression or `{{ }}` string kept raw until run time, with its place. */
export interface Expr {
  text: string;
  loc: Loc;
}

/** Variables defined in source; values are raw (templated lazily at use). */
export interface VarBlock {
  vars: Record<string, unknown>;
  /** Locations of each variable's value, keyed `/name/...`. */
  locs: LocMap;
  /**
   * Only in Play.varsFiles: a `vars_files` entry whose path holds `{{ }}` (e.g. per-OS files). `vars`
   * is empty; the executor renders this path with the host's variables, resolves it against the
   * play's baseDir and reads it with loadVarsFile, keeping its place in the list (later wins).
   */
  deferredPath?: Expr;
}

export interface RoleScope {
  name: string;
  /** Absolute role directory (files/, templates/ are looked up here). */
  dir: string;
  defaults: VarBlock;
  vars: VarBlock;
  /** The `vars:` of the `roles:` entry or dependency that used the role: play-visible, below `vars`. */
  entryVars?: VarBlock;
}

/** Keywords shared by tasks, blocks and includes (Ansible's "task keywords"). */
export interface TaskCommon {
  /** Stable id within the run, e.g. "play0/t3/b1" (used by reports, --start-at-task, journal). */
  id: string;
  name?: string;
  loc: Loc;
  /** All conditions must hold (`when:` list, plus inherited from imports/blocks at load time). */
  when: Expr[];
  tags: string[];
  vars: VarBlock;
  /** become, ignore_unreachable, run_once, any_errors_fatal: an Expr is rendered when the task runs. */
  become?: boolean | Expr;
  becomeUser?: string;
  environment?: Record<string, unknown>;
  ignoreErrors?: boolean | Expr;
  ignoreUnreachable?: boolean | Expr;
  /** check_mode: true forces check for this task; false forces a real run even under --check. */
  checkMode?: boolean;
  diff?: boolean;
  noLog?: boolean;
  delegateTo?: string;
  runOnce?: boolean | Expr;
  anyErrorsFatal?: boolean | Expr;
  /** The role this node came from, if any. */
  role?: RoleScope;
  /** Directory of the file that defined this node (relative `src:` and includes resolve here). */
  baseDir: string;
}

export interface TaskNode extends TaskCommon {
  kind: 'task';
  /** Canonical module name (aliases and `ansible.builtin.` resolved by the loader). */
  module: string;
  /** Raw args (strings may hold `{{ }}`), after free-form/k=v splitting. */
  args: Record<string, unknown>;
  /** Locations of args keyed `/path` (e.g. `/line`, `/that/0`); `` (empty key) = the module key. */
  argLocs: LocMap;
  loop?: unknown;
  /** `with_<name>`: the lookup plugin that turns the templated `loop` terms into the items. */
  loopWith?: string;
  loopLoc?: Loc;
  loopControl?: LoopControl;
  register?: string;
  changedWhen?: Expr[] | boolean;
  failedWhen?: Expr[] | boolean;
  until?: Expr[];
  /** An Expr is rendered per host when the task runs. */
  retries?: number | Expr;
  delay?: number | Expr;
  notify: string[];
}

export interface BlockNode extends TaskCommon {
  kind: 'block';
  block: PlayItem[];
  rescue: PlayItem[];
  always: PlayItem[];
}

/** Dynamic includes are expanded by the executor at run time (per host, after `when`). */
export interface IncludeNode extends TaskCommon {
  kind: 'include_tasks' | 'include_role';
  /** include_tasks: file path (may be templated); include_role: role name. */
  target: string;
  /** include_role: tasks_from (default main). */
  tasksFrom?: string;
  /** `apply:` as a block without tasks: the included tasks run inside it. */
  apply?: BlockNode;
  loop?: unknown;
  loopWith?: string;
  loopControl?: LoopControl;
}

export interface LoopControl {
  loopVar: string;
  label?: string;
  indexVar?: string;
  pause?: number;
  /** `extended`: ansible_loop with index, first, previtem, ...; `extendedAllitems: false` leaves out allitems. */
  extended?: boolean;
  extendedAllitems?: boolean;
}

/** `meta: flush_handlers` and friends. */
export interface MetaNode extends TaskCommon {
  kind: 'meta';
  action: 'flush_handlers' | 'end_play' | 'end_batch' | 'end_host' | 'clear_host_errors' | 'noop' | 'refresh_inventory' | 'reset_connection';
}

export type PlayItem = TaskNode | BlockNode | IncludeNode | MetaNode;

export interface HandlerNode extends TaskNode {
  /** Topics this handler also answers (`listen:`). */
  listen: string[];
}

export interface Play {
  id: string;
  name: string;
  loc: Loc;
  /** Host pattern as written (may hold `{{ }}` using extra vars). */
  hosts: string;
  gatherFacts: boolean;
  strategy: 'linear' | 'free';
  /** Batches: ints or percentages ("30%"); empty = all at once. */
  serial: Array<number | string>;
  maxFailPercentage?: number;
  anyErrorsFatal: boolean;
  ignoreUnreachable: boolean;
  forceHandlers?: boolean;
  become?: boolean;
  becomeUser?: string;
  checkMode?: boolean;
  diff?: boolean;
  environment?: Record<string, unknown>;
  tags: string[];
  vars: VarBlock;
  /** vars_files already read, in order (later wins). */
  varsFiles: VarBlock[];
  /** Roles of `roles:` in order, then those of import_role (their tasks are already in `items`). */
  roles: RoleScope[];
  /**
   * pre_tasks, roles' tasks, tasks, post_tasks in order, with `meta: flush_handlers` inserted
   * between the sections as Ansible does.
   */
  items: PlayItem[];
  /** The play's handlers plus those of its roles, in definition order. */
  handlers: HandlerNode[];
  baseDir: string;
}

export interface Playbook {
  /** Absolute path of the top file. */
  path: string;
  /** Plays of this file and of every import_playbook, in order. */
  plays: Play[];
}
