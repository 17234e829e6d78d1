// The journal's file format and its atomic I/O. The file holds names only (hosts, plays, handlers):
// never variables or output, so nothing secret can reach it.
//
// Writes are synchronous on purpose: a notification is journaled before the engine moves on, so a
// SIGKILL right after a change cannot lose the restart it owes. Temp file + rename means a reader
// (or a killed writer) sees the old journal or the new one, never half of one.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

export const JournalFileSchema = Type.Object(
  {
    version: Type.Literal(1),
    playbook: Type.String(),
    inventory: Type.Array(Type.String()),
    /** host → handlers notified by a real change and not yet run successfully, in notification order. */
    hosts: Type.Record(Type.String(), Type.Array(PendingHandlerSchema)),
  },
  { additionalProperties: false },
);
export type JournalFile = Static<typeof JournalFileSchema>;

const TEMP_PREFIX = '.fleetplay-journal-';

export type ReadResult = { kind: 'absent' } | { kind: 'ok'; data: JournalFile } | { kind: 'invalid'; why: string };

export function readJournalFile(path: string): ReadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'invalid', why: (err as Error).message };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: 'invalid', why: 'not valid JSON' };
  }
  if (!Value.Check(JournalFileSchema, data)) return { kind: 'invalid', why: 'not a fleetplay handler journal (version 1)' };
  return { kind: 'ok', data };
}

/** Atomic replace; the directory is created private (0700) because it lists the fleet's hosts. */
export function writeJournalFile(path: string, data: JournalFile): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `${TEMP_PREFIX}${basename(path)}.${process.pid}`);
  try {
    writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function removeJournalFile(path: string): void {
  rmSync(path, { force: true });
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
