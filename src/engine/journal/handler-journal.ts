// The handler journal of one (playbook, inventory): per host, the handlers a real change notified
// and that have not run successfully yet. Ansible forgets them when a run fails or is interrupted
// (a changed waagent.conf whose restart never happens); fleetplay runs them on the next run.
//
// The engine keeps it in step with its own notification sets: add at notify time, remove when the
// handler ran on the host. Every change reaches the file at once (see journal-file.ts). Read-only
// (check mode) journals are read and reported, never written.
import { type JournalKey, journalKey, journalPath, stateDir } from './location.js';
import {
  appendChange,
  type JournalChange,
  type JournalHeader,
  type PendingByHost,
  type PendingHandler,
  readJournalFile,
  removeStaleTemps,
  setAsideInvalid,
  writeSnapshot,
} from './journal-file.js';

export type { PendingHandler } from './journal-file.js';

/** Appended changes beyond this (plus twice the live entries) are folded into a snapshot. */
const COMPACT_AFTER = 1000;

export interface OpenJournalOptions {
  playbook: string;
  /** The -i sources. */
  inventory: readonly string[];
  /** Check mode: report what the journal holds, never write it. */
  readOnly?: boolean;
  /** Default: stateDir() (FLEETPLAY_STATE_DIR, XDG_STATE_HOME, ~/.local/state). */
  stateDir?: string;
}

export class HandlerJournal {
  readonly path: string;
  readonly key: JournalKey;
  readonly readOnly: boolean;
  private readonly hosts: PendingByHost = new Map();
  private readonly header: JournalHeader;
  private readonly early: string[] = [];
  private listener: ((message: string) => void) | undefined;
  private writeFailed = false;
  /** Read-only, or an unreadable journal could not be moved aside: never write over it. */
  private frozen: boolean;
  /** The file holds a header (a snapshot was written or read): changes can be appended. */
  private onDisk = false;
  private appended = 0;

  private constructor(opts: OpenJournalOptions) {
    this.key = journalKey(opts.playbook, opts.inventory);
    this.path = journalPath(this.key, opts.stateDir ?? stateDir());
    this.readOnly = opts.readOnly ?? false;
    this.frozen = this.readOnly;
    this.header = { fleetplay: 'handler-journal', version: 1, playbook: this.key.playbook, inventory: this.key.inventory };
  }

  static open(opts: OpenJournalOptions): HandlerJournal {
    const j = new HandlerJournal(opts);
    const read = readJournalFile(j.path);
    if (read.kind === 'ok') {
      for (const [host, list] of read.hosts) j.hosts.set(host, list);
      j.onDisk = true;
      j.appended = read.changes;
      // Start the run from a compact file (the last run's adds and removes folded together).
      if (read.changes > j.count()) j.guarded(() => j.snapshot());
    } else if (read.kind === 'invalid') {
      // Never overwrite what may still be a list of owed restarts; keep it for the operator.
      let kept = j.path;
      if (!j.readOnly) {
        try {
          kept = setAsideInvalid(j.path);
        } catch {
          j.frozen = true;
        }
      }
      j.warn(`handler journal ${j.path} could not be read (${read.why}); kept as ${kept}; handlers it lists will not run`);
    }
    if (!j.readOnly) removeStaleTemps(j.path);
    return j;
  }

  /** Receives warnings (write failures, unreadable journal); earlier ones are delivered at once. */
  onWarning(listener: (message: string) => void): void {
    this.listener = listener;
    for (const m of this.early.splice(0)) listener(m);
  }

  pending(host: string): readonly PendingHandler[] {
    return this.hosts.get(host) ?? [];
  }

  hostNames(): string[] {
    return [...this.hosts.keys()];
  }

  count(): number {
    let n = 0;
    for (const list of this.hosts.values()) n += list.length;
    return n;
  }

  /** Adds an entry unless one that `same` recognises is there already. */
  add(host: string, entry: PendingHandler, same: (e: PendingHandler) => boolean): void {
    const list = this.hosts.get(host) ?? [];
    if (list.some(same)) return;
    this.hosts.set(host, [...list, entry]);
    this.persist([{ op: 'add', host, entry }]);
  }

  /** Removes the entries `match` selects. */
  remove(host: string, match: (e: PendingHandler) => boolean): void {
    const list = this.hosts.get(host);
    if (!list) return;
    const gone = list.filter(match);
    if (!gone.length) return;
    const kept = list.filter((e) => !match(e));
    if (kept.length) this.hosts.set(host, kept);
    else this.hosts.delete(host);
    this.persist(gone.map((entry) => ({ op: 'remove', host, entry })));
  }

  /** --clear-pending: forgets every entry (the file too, unless read-only); returns what was dropped. */
  clear(): Record<string, PendingHandler[]> {
    const dropped = Object.fromEntries(this.hosts);
    this.hosts.clear();
    if (Object.keys(dropped).length) this.guarded(() => this.snapshot());
    return dropped;
  }

  private persist(changes: JournalChange[]): void {
    this.guarded(() => {
      // No header on disk yet, nothing left (the file goes), or a long log: write a snapshot.
      if (!this.onDisk || this.hosts.size === 0 || this.appended + changes.length > COMPACT_AFTER + 2 * this.count()) {
        this.snapshot();
        return;
      }
      for (const c of changes) appendChange(this.path, c);
      this.appended += changes.length;
    });
  }

  private snapshot(): void {
    writeSnapshot(this.path, this.header, this.hosts);
    this.onDisk = this.hosts.size > 0;
    this.appended = 0;
  }

  private guarded(write: () => void): void {
    if (this.frozen) return;
    try {
      write();
    } catch (err) {
      // Warn once: the run goes on, but its pending handlers would not survive it.
      this.onDisk = false;
      if (this.writeFailed) return;
      this.writeFailed = true;
      this.warn(`could not write the handler journal ${this.path}: ${(err as Error).message}; handlers still pending when this run ends will not run next time`);
    }
  }

  private warn(message: string): void {
    if (this.listener) this.listener(message);
    else this.early.push(message);
  }
}

export function openHandlerJournal(opts: OpenJournalOptions): HandlerJournal {
  return HandlerJournal.open(opts);
}

/** What --clear-pending says it did. */
export function describeCleared(dropped: Record<string, PendingHandler[]>, readOnly: boolean): string {
  const hosts = Object.entries(dropped);
  if (!hosts.length) return '--clear-pending: no handlers were pending from an earlier run';
  const n = hosts.reduce((sum, [, list]) => sum + list.length, 0);
  const detail = hosts.map(([host, list]) => `${host}: ${list.map((e) => e.handler).join(', ')}`).join('; ');
  const verb = readOnly ? 'ignoring (check mode: the journal is left as it is)' : 'discarded';
  return `--clear-pending: ${verb} ${n} handler${n === 1 ? '' : 's'} pending from an earlier run (${detail})`;
}
