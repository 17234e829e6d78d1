// Run-wide state shared by every play: options, hosts' states, connections, the fork limiter.
import { setMaxListeners } from 'node:events';
import { dirname } from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import type { RunEvent } from '../contract/events.js';
import type { Inventory, InventoryChange } from '../contract/inventory.js';
import type { ModuleRegistry } from '../contract/module.js';
import type { HandlerNode, Playbook, PlayItem } from '../contract/playbook.js';
import type { Templater, VarLayer } from '../contract/template.js';
import type { HandlerJournal } from '../journal/index.js';
import { ConnectionPool } from './connections.js';
import { HostState } from './host-state.js';
import { createHostvars } from './magic-vars.js';
import type { RunFailure, RunOptions, RunServices } from './options.js';
import type { TagFilter } from './tags.js';

export class RunContext {
  inventory: Inventory;
  /** add_host or group_by ran: play patterns are matched again. */
  inventoryChanged = false;
  readonly registry: ModuleRegistry;
  readonly templater: Templater;
  readonly services: RunServices;
  readonly checkMode: boolean;
  readonly diffMode: boolean;
  readonly forceHandlers: boolean;
  readonly forks: number;
  readonly tagFilter: TagFilter;
  readonly extraLayer: VarLayer;
  readonly playbookDir: string;
  readonly connections: ConnectionPool;
  readonly journal: HandlerJournal | undefined;
  /** Bounds host-level parallelism (linear: per task; free: per host's run). */
  readonly limiter: LimitFunction;
  readonly hosts = new Map<string, HostState>();
  /** Hosts some play targeted (the recap lists these, not delegation targets). */
  readonly targeted = new Set<string>();
  readonly failures: RunFailure[] = [];
  /** Handlers notified but never run, per host (definition order). */
  readonly pendingHandlers = new Map<string, string[]>();
  /**
   * Why a play ended the whole run: any_errors_fatal, max_fail_percentage exceeded, or a whole batch
   * failed. Ansible runs none of the plays after such a play either.
   */
  endedRunBecause: string | undefined;
  /** --start-at-task still looking for its task. */
  startAtPending: string | undefined;
  readonly hostvars: Record<string, unknown>;
  /** Included files and roles, loaded once per run. */
  readonly includeCache = new Map<string, Promise<{ items: PlayItem[]; handlers: HandlerNode[] }>>();
  private groupsCache?: Record<string, string[]>;

  constructor(
    readonly opts: RunOptions,
    services: RunServices,
    readonly playbook: Playbook,
  ) {
    this.inventory = opts.inventory;
    this.registry = opts.registry;
    this.templater = opts.templater;
    this.services = services;
    this.checkMode = opts.checkMode ?? false;
    this.diffMode = opts.diffMode ?? false;
    this.forceHandlers = opts.forceHandlers ?? false;
    this.forks = Math.max(1, opts.forks ?? 50);
    this.tagFilter = { only: opts.tags ?? [], skip: opts.skipTags ?? [] };
    this.startAtPending = opts.startAtTask;
    this.extraLayer = {
      name: 'extra vars (-e)',
      vars: opts.extraVars?.vars ?? {},
      locs: opts.extraVars?.locs,
      trusted: true,
    };
    this.playbookDir = dirname(playbook.path);
    const verbosity = opts.verbosity ?? 0;
    this.connections = new ConnectionPool(
      opts.connectionFactory,
      verbosity >= 3 ? { verbosity, sink: (host, level, message) => this.emit({ type: 'trace', host, level, message }) } : undefined,
      opts.readAhead ?? true,
    );
    this.journal = opts.journal;
    this.limiter = pLimit(this.forks);
    this.hostvars = createHostvars(this);
    // Every command in flight listens on the kill signal: with hundreds of hosts that is hundreds of
    // listeners, which is expected here and not the leak Node warns about past ten.
    if (opts.killSignal) setMaxListeners(0, opts.killSignal);
  }

  get interrupted(): boolean {
    return this.opts.signal?.aborted ?? false;
  }

  /** Cancels commands in flight only on the second interrupt. */
  get killSignal(): AbortSignal {
    return this.opts.killSignal ?? neverAborted;
  }

  emit(event: RunEvent): void {
    this.opts.reporter.on(event);
  }

  /** The host's state, created on first use (inventory vars are merged once per run, not per task). */
  host(name: string): HostState {
    let h = this.hosts.get(name);
    if (!h) {
      const known = this.inventory.hosts.has(name);
      h = new HostState(
        name,
        known ? this.inventory.hostVars(name) : {},
        known ? this.inventory.groupNames(name) : [],
      );
      this.hosts.set(name, h);
    }
    return h;
  }

  /** add_host / group_by: later tasks and plays see the host in its new groups, with its new vars. */
  changeInventory(change: InventoryChange): void {
    if (!this.inventory.extend) throw new Error('this inventory cannot take hosts or groups added at run time');
    this.inventory = this.inventory.extend(change);
    this.inventoryChanged = true;
    this.groupsCache = undefined;
    const h = this.hosts.get(change.host);
    if (h) h.refreshInventory(this.inventory.hostVars(change.host), this.inventory.groupNames(change.host));
  }

  get groups(): Record<string, string[]> {
    this.groupsCache ??= this.inventory.groupsMap();
    return this.groupsCache;
  }
}

const neverAborted = new AbortController().signal;
setMaxListeners(0, neverAborted);
