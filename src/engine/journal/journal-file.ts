// The journal's file format and its I/O. The file holds names only (hosts, plays, handlers): never
// variables or output, so nothing secret can reach it.
//
// A write-ahead log in JSON Lines: a header line, then one line per change (`add` / `remove` of one
// entry). Each change is ONE synchronous O_APPEND write of one short line, done before the engine
// moves on: a SIGKILL right after a change cannot lose the restart it owes, and the cost stays O(1)
// per notification (rewriting a snapshot on every change would be O(hosts) each, O(hosts²) a run).
// A line cut short (power loss mid-write) can only be the last one and is ignored. The log is
// compacted to a snapshot by temp file + rename, so a reader never sees half of one.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';

export const PendingHandlerSchema = Type.Object(
  {
    /** The play's name, and its position in the playbook (tells apart plays of the same name). */
    play: Type.String(),
    playIndex: Type.Integer({ minimum: 0 }),
    /** The handler's name as reports show it. */
    handler: Type.String(),
  },
  { additionalProperties: false },
);
export type PendingHandler = Static<typeof PendingHandlerSchema>;

const HeaderSchema = Type.Object(
  {
    fleetplay: Type.Literal('handler-journal'),
    version: Type.Literal(1),
    playbook: Type.String(),
    inventory: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type JournalHeader = Static<typeof HeaderSchema>;

const ChangeSchema = Type.Object(
  {
    op: Type.Union([Type.Literal('add'), Type.Literal('remove')]),
    host: Type.String(),
    entry: PendingHandlerSchema,
  },
  { additionalProperties: false },
);
export type JournalChange = Static<typeof ChangeSchema>;

/** host → handlers owed, in notification order. */
export type PendingByHost = Map<string, PendingHandler[]>;

export type ReadResult =
  | { kind: 'absent' }
  | { kind: 'ok'; header: JournalHeader; hosts: PendingByHost; changes: number }
  | { kind: 'invalid'; why: string };

const TEMP_PREFIX = '.fleetplay-journal-';

export function readJournalFile(path: string): ReadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'invalid', why: (err as Error).message };
  }
  const lines = text.split('\n');
  // Only a final line without its newline may be cut short (a writer that lost power mid-line).
  const tail = lines.pop();
  const header = parseLine(lines[0] ?? tail ?? '', HeaderSchema);
  if (!header) return { kind: 'invalid', why: 'not a fleetplay handler journal (version 1)' };
  const hosts: PendingByHost = new Map();
  for (const [i, line] of lines.slice(1).entries()) {
    const change = parseLine(line, ChangeSchema);
    if (!change) return { kind: 'invalid', why: `line ${i + 2} is not a journal change` };
    applyChange(hosts, change);
  }
  if (tail && lines.length) {
    const change = parseLine(tail, ChangeSchema);
    if (change) applyChange(hosts, change);
  }
  return { kind: 'ok', header, hosts, changes: Math.max(0, lines.length - 1) };
}

function parseLine<S extends typeof HeaderSchema | typeof ChangeSchema>(line: string, schema: S): Static<S> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return Value.Check(schema, value) ? (value as Static<S>) : undefined;
  } catch {
    return undefined;
  }
}

const sameEntry = (a: PendingHandler, b: PendingHandler) => a.play === b.play && a.playIndex === b.playIndex && a.handler === b.handler;

export function applyChange(hosts: PendingByHost, change: JournalChange): void {
  const list = hosts.get(change.host) ?? [];
  const kept = list.filter((e) => !sameEntry(e, change.entry));
  if (change.op === 'add') kept.push(change.entry);
  if (kept.length) hosts.set(change.host, kept);
  else hosts.delete(change.host);
}

/** One change, one write: appended lines are never interleaved or rewritten. */
export function appendChange(path: string, change: JournalChange): void {
  appendFileSync(path, `${JSON.stringify(change)}\n`, { mode: 0o600 });
}

/**
 * Replaces the log with a snapshot (header + one `add` per entry) by temp file + rename; the
 * directory is created private (0700) because it lists the fleet's hosts. Empty: the file goes.
 */
export function writeSnapshot(path: string, header: JournalHeader, hosts: PendingByHost): void {
  if (hosts.size === 0) {
    rmSync(path, { force: true });
    return;
  }
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lines = [JSON.stringify(header)];
  for (const [host, list] of hosts) for (const entry of list) lines.push(JSON.stringify({ op: 'add', host, entry } satisfies JournalChange));
  const tmp = join(dir, `${TEMP_PREFIX}${basename(path)}.${process.pid}`);
  try {
    writeFileSync(tmp, `${lines.join('\n')}\n`, { mode: 0o600 });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Temp files of this journal left by a writer killed between write and rename (its pid is gone). */
export function removeStaleTemps(path: string): void {
  const prefix = `${TEMP_PREFIX}${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) continue;
    rmSync(join(dirname(path), name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Keeps a journal that cannot be read beside the new one instead of overwriting what it may hold. */
export function setAsideInvalid(path: string): string {
  const aside = `${path}.invalid-${Date.now()}`;
  renameSync(path, aside);
  return aside;
}
