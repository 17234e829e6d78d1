import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeCleared, HandlerJournal, journalKey, journalPath, stateDir } from '../../../src/engine/journal/index.js';
import { readJournalFile } from '../../../src/engine/journal/journal-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetplay-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const restart = { play: 'agent', playIndex: 0, handler: 'restart azure agent' };
const sameAs = (e: typeof restart) => (x: typeof restart) => x.play === e.play && x.handler === e.handler;
const open = (extra: { readOnly?: boolean; inventory?: string[] } = {}) =>
  HandlerJournal.open({ playbook: join(dir, 'site.yml'), inventory: extra.inventory ?? [join(dir, 'inv.ini')], stateDir: join(dir, 'state'), readOnly: extra.readOnly });
/** What a fresh reader finds in the file. */
const onDisk = (path: string) => {
  const r = readJournalFile(path);
  return r.kind === 'ok' ? { hosts: Object.fromEntries(r.hosts) } : { hosts: r.kind };
};
const exists = (p: string) => stat(p).then(() => true, () => false);

describe('journal location', () => {
  it('FLEETPLAY_STATE_DIR wins over XDG_STATE_HOME, which wins over ~/.local/state', () => {
    expect(stateDir({ FLEETPLAY_STATE_DIR: '/srv/fp', XDG_STATE_HOME: '/x' })).toBe('/srv/fp');
    expect(stateDir({ XDG_STATE_HOME: '/x/state' })).toBe('/x/state/fleetplay');
    expect(stateDir({ XDG_STATE_HOME: 'relative' })).toMatch(/\/\.local\/state\/fleetplay$/);
    expect(stateDir({})).toMatch(/\/\.local\/state\/fleetplay$/);
  });

  it('one file per playbook + inventory: -i order and symlinks do not matter, another inventory does', async () => {
    await writeFile(join(dir, 'a.ini'), '');
    await writeFile(join(dir, 'b.ini'), '');
    await symlink(join(dir, 'a.ini'), join(dir, 'link.ini'));
    const pb = join(dir, 'site.yml');
    const p1 = journalPath(journalKey(pb, [join(dir, 'a.ini'), join(dir, 'b.ini')]), '/state');
    expect(journalPath(journalKey(pb, [join(dir, 'b.ini'), join(dir, 'link.ini')]), '/state')).toBe(p1);
    expect(journalPath(journalKey(pb, [join(dir, 'a.ini')]), '/state')).not.toBe(p1);
    expect(journalPath(journalKey(join(dir, 'other.yml'), [join(dir, 'a.ini'), join(dir, 'b.ini')]), '/state')).not.toBe(p1);
    expect(p1).toMatch(/^\/state\/journal\/site-[0-9a-f]{16}\.json$/);
    // An inline host list is a key of its own, not a path under the working directory.
    expect(journalKey(pb, ['web1,web2']).inventory).toEqual(['web1,web2']);
  });
});

describe('handler journal', () => {
  it('writes every change at once, private, and removes the file when nothing is pending', async () => {
    const j = open();
    j.add('h1', restart, sameAs(restart));
    expect(onDisk(j.path).hosts).toEqual({ h1: [restart] });
    expect((await stat(j.path)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(j.path))).mode & 0o777).toBe(0o700);
    j.add('h1', { ...restart, playIndex: 3 }, sameAs(restart)); // same play and handler: no duplicate
    j.add('h2', restart, sameAs(restart));
    expect(onDisk(j.path).hosts).toEqual({ h1: [restart], h2: [restart] });
    // A second process sees what the first wrote (nothing kept only in memory).
    expect(open().pending('h2')).toEqual([restart]);
    j.remove('h1', sameAs(restart));
    expect(onDisk(j.path).hosts).toEqual({ h2: [restart] });
    j.remove('h2', sameAs(restart));
    expect(await exists(j.path)).toBe(false);
    expect(await readdir(dirname(j.path))).toEqual([]);
  });

  it('read-only (check mode) reads the journal but never writes it', async () => {
    open().add('h1', restart, sameAs(restart));
    const j = open({ readOnly: true });
    const before = await readFile(j.path, 'utf8');
    expect(j.pending('h1')).toEqual([restart]);
    // In memory the journal follows the run; only the file stays as it was.
    j.add('h2', restart, sameAs(restart));
    j.remove('h1', sameAs(restart));
    expect(describeCleared(j.clear(), true)).toBe('--clear-pending: ignoring (check mode: the journal is left as it is) 1 handler pending from an earlier run (h2: restart azure agent)');
    expect(await readFile(j.path, 'utf8')).toBe(before);
  });

  it('clear discards the journal and says what it dropped', async () => {
    const j = open();
    j.add('h1', restart, sameAs(restart));
    j.add('h1', { ...restart, handler: 'reload sshd' }, () => false);
    expect(describeCleared(j.clear(), false)).toBe('--clear-pending: discarded 2 handlers pending from an earlier run (h1: restart azure agent, reload sshd)');
    expect(await exists(j.path)).toBe(false);
    expect(describeCleared(open().clear(), false)).toBe('--clear-pending: no handlers were pending from an earlier run');
  });

  it('an unreadable journal is kept aside with a warning, never overwritten', async () => {
    const path = open().path;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '{"version": 1, "hosts": ');
    const j = open();
    const warnings: string[] = [];
    j.onWarning((m) => warnings.push(m));
    expect(warnings).toEqual([expect.stringMatching(/could not be read \(not a fleetplay handler journal \(version 1\)\); kept as .*\.json\.invalid-\d+; handlers it lists will not run/)]);
    const names = await readdir(dirname(path));
    expect(names.filter((n) => n.includes('.invalid-'))).toHaveLength(1);
    expect(j.hostNames()).toEqual([]);
    // A damaged line in the middle: the same (only the last line may be cut short).
    const good = open();
    good.add('h1', restart, sameAs(restart));
    good.add('h2', restart, sameAs(restart));
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[1] = lines[1]!.slice(0, 10);
    await writeFile(path, lines.join('\n'));
    const w2: string[] = [];
    open().onWarning((m) => w2.push(m));
    expect(w2[0]).toContain('(line 2 is not a journal change)');
  });

  it('is a log: one appended line per change, a cut-short last line ignored, compacted on open and when long', async () => {
    const j = open();
    j.add('h1', restart, sameAs(restart));
    j.add('h2', restart, sameAs(restart));
    j.remove('h1', sameAs(restart));
    const text = await readFile(j.path, 'utf8');
    // Snapshot (header + first add), then one line per change.
    expect(text.split('\n').slice(1, -1).map((l) => JSON.parse(l) as unknown)).toEqual([
      { op: 'add', host: 'h1', entry: restart },
      { op: 'add', host: 'h2', entry: restart },
      { op: 'remove', host: 'h1', entry: restart },
    ]);
    // A writer that lost power in the middle of a line: what came before still counts.
    await writeFile(j.path, `${text}{"op":"add","host":"h3","ent`);
    expect(onDisk(j.path).hosts).toEqual({ h2: [restart] });
    // A new run starts from a compact file.
    const again = open();
    expect((await readFile(again.path, 'utf8')).trim().split('\n')).toHaveLength(2);
    // However long a run, the file stays bounded by the live entries (plus a constant).
    for (let i = 0; i < 3000; i++) {
      again.add('h9', { ...restart, handler: `h${i}` }, () => false);
      again.remove('h9', (e) => e.handler === `h${i}`);
    }
    expect((await readFile(again.path, 'utf8')).split('\n').length).toBeLessThan(1100);
    expect(onDisk(again.path).hosts).toEqual({ h2: [restart] });
  });

  it('removes temp files a killed writer left, but not those of a live one', async () => {
    const j = open();
    j.add('h1', restart, sameAs(restart));
    const d = dirname(j.path);
    const base = j.path.slice(d.length + 1);
    const dead = join(d, `.fleetplay-journal-${base}.999999999`);
    const live = join(d, `.fleetplay-journal-${base}.${process.ppid}`);
    await writeFile(dead, '{');
    await writeFile(live, '{');
    open();
    expect(await exists(dead)).toBe(false);
    expect(await exists(live)).toBe(true);
  });

  it('a journal that cannot be written warns once and the run goes on', async () => {
    // Tests run as root, who ignores permissions: a directory in the journal's place makes rename fail.
    const j = open();
    await mkdir(j.path, { recursive: true });
    const warnings: string[] = [];
    j.onWarning((m) => warnings.push(m));
    j.add('h1', restart, sameAs(restart));
    j.add('h2', restart, sameAs(restart));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^could not write the handler journal .*: .*; handlers still pending when this run ends will not run next time$/);
    expect(j.pending('h2')).toEqual([restart]);
  });
});
