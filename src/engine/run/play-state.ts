// State of one play while it runs: its hosts and batch, handlers (include_role may add more), the
// reason it stopped, run_once memos, and the layers every task of the play shares.
import type { HandlerNode, Play, TaskCommon, BlockNode } from '../contract/playbook.js';
import type { VarLayer } from '../contract/template.js';
import type { HostState } from './host-state.js';
import { playMagicLayer } from './magic-vars.js';
import type { RunContext } from './run-context.js';
import { playLayers, type PlayLayers } from './vars.js';

export type StopReason = 'any_errors_fatal' | 'max_fail_percentage' | 'end_play' | 'interrupted';

/** Runs `fn` for each host, bounded as the strategy requires. */
export type HostMapper = <T>(hosts: readonly HostState[], fn: (h: HostState) => Promise<T>) => Promise<T[]>;

/** Where a list of items runs: the enclosing blocks and includes, which they inherit from. */
export interface Scope {
  /** Enclosing blocks, outermost first (their when/tags/vars/keywords apply). */
  blocks: readonly BlockNode[];
  /** Include params (`vars:` of include_tasks/include_role, loop item), outermost first. */
  includeLayers: readonly VarLayer[];
  /** A failure here will be caught by an enclosing block's rescue. */
  rescuable: boolean;
  handler: boolean;
  /** Distinguishes repeated runs of the same nodes (include instances, flushes) for run_once. */
  key: string;
  map: HostMapper;
  /**
   * --start-at-task still looking for its task, per walk (the batch under linear, each host under
   * free: one host finding it must not let another skip ahead).
   */
  startAt: { pending: string | undefined };
}

export class PlayRun {
  readonly handlers: HandlerNode[];
  readonly layers: PlayLayers;
  readonly allNames: string[];
  batch: HostState[] = [];
  stopped: StopReason | undefined;
  /** run_once: the first host's outcome, shared by the others of the batch. */
  readonly runOnce = new Map<string, Promise<unknown>>();
  private readonly magic = new Map<string, VarLayer>();
  /** Templated vars_files read per host, keyed `host#index`. */
  readonly deferredFiles = new Map<string, VarLayer>();
  private activeCache: string[] | undefined;
  private readonly taskNames = new WeakMap<TaskCommon, string>();

  constructor(
    readonly run: RunContext,
    readonly play: Play,
    hosts: readonly string[],
  ) {
    this.handlers = [...play.handlers];
    this.layers = playLayers(play);
    this.allNames = [...hosts];
  }

  get checkMode(): boolean {
    return this.play.checkMode ?? this.run.checkMode;
  }

  startBatch(hosts: HostState[]): void {
    this.batch = hosts;
    this.runOnce.clear();
    this.changed();
  }

  /** Call whenever a host's active state changes (cached play_hosts). */
  changed(): void {
    this.activeCache = undefined;
  }

  activeNames(): string[] {
    this.activeCache ??= this.batch.filter((h) => h.active).map((h) => h.name);
    return this.activeCache;
  }

  magicLayer(h: HostState): VarLayer {
    let layer = this.magic.get(h.name);
    if (!layer) {
      layer = playMagicLayer({ run: this.run, playName: this.play.name, playDir: this.play.baseDir, activeNames: () => this.activeNames(), allNames: this.allNames }, h);
      this.magic.set(h.name, layer);
    }
    return layer;
  }

  deferredVarsFile(h: HostState, index: number): VarLayer | undefined {
    return this.deferredFiles.get(`${h.name}#${index}`);
  }

  stop(reason: StopReason): void {
    this.stopped ??= reason;
  }

  /** Task names are templated once with play-level vars; host-specific names fall back to raw text. */
  taskName(node: TaskCommon & { module?: string }): string {
    const cached = this.taskNames.get(node);
    if (cached !== undefined) return cached;
    let name = node.name ?? node.module ?? (node as { kind?: string }).kind ?? 'task';
    if (node.name && this.run.templater.isTemplated(node.name)) {
      try {
        const layers = [...this.layers.low, this.run.extraLayer];
        const rendered = this.run.templater.render(node.name, layers, node.loc);
        name = typeof rendered === 'string' ? rendered : String(rendered);
      } catch {
        name = node.name;
      }
    }
    this.taskNames.set(node, name);
    return name;
  }
}
