import { describe, expect, it } from 'vitest';
import { buildBatch, type BatchItem } from '../../../src/engine/connection/exec-batch.js';
import { buildPosixCommand } from '../../../src/engine/connection/become.js';
import { spawnShell } from '../../../src/engine/connection/local.js';

// Each command alone (as a transport runs it) and inside one batch must answer the same.
const alone = (i: BatchItem, stdin?: string) => spawnShell(buildPosixCommand(i.command, i.opts ?? {}), { stdin });
const norm = (s: string) => (s ? `${s.replace(/\n+$/, '')}\n` : '');

const reads: BatchItem[] = [
  { command: 'printf "no newline"' },
  { command: 'printf "two\\n\\n"' },
  { command: 'echo out; echo err >&2; exit 3' },
  { command: 'head -c 300 /dev/zero | base64' },
  { command: 'pwd; echo "$FOO"', opts: { cwd: '/tmp', env: { FOO: 'b a r' } } },
  { command: 'cat; echo after-stdin' },
  { command: 'exit 0' },
  { command: 'printf "@fleetplay-batch:deadbeef:rc:0 7\\n"' },
];

describe('exec batch', () => {
  it('answers every follower as if it had run alone (rc, stdout; stderr up to trailing newlines)', async () => {
    const b = buildBatch(undefined, reads);
    const r = await spawnShell(b.script);
    const { lead, followers } = b.parse(r);
    expect(lead).toBeUndefined();
    expect(followers).toHaveLength(reads.length);
    for (const [i, item] of reads.entries()) {
      const one = await alone(item);
      expect(followers[i], item.command).toMatchObject({ rc: one.rc, stdout: one.stdout });
      expect(norm(followers[i]!.stderr), item.command).toBe(norm(one.stderr));
    }
  });

  it('keeps a lead command exact: its stdin, stdout, stderr and exit code', async () => {
    const lead: BatchItem = { command: 'cat; echo to-err >&2; exit 5' };
    const b = buildBatch(lead, reads.slice(0, 3));
    const r = await spawnShell(b.script, { stdin: 'input without newline' });
    const got = b.parse(r);
    const one = await alone(lead, 'input without newline');
    expect(got.lead).toEqual({ rc: 5, stdout: one.stdout, stderr: one.stderr });
    expect(got.followers.map((f) => f?.rc)).toEqual([0, 0, 3]);
    // followers get no stdin: a reader of stdin sees end of file at once
    const b2 = buildBatch(lead, [{ command: 'cat; echo done' }]);
    expect(b2.parse(await spawnShell(b2.script, { stdin: 'x' })).followers[0]!.stdout).toBe('done\n');
  });

  it('a lead that exits the shell ends only itself', async () => {
    const b = buildBatch({ command: 'echo bye; exit 7' }, [{ command: 'echo still-here' }]);
    const got = b.parse(await spawnShell(b.script));
    expect(got.lead).toMatchObject({ rc: 7, stdout: 'bye\n' });
    expect(got.followers[0]).toMatchObject({ rc: 0, stdout: 'still-here\n' });
  });

  it('an answer cut short gives the lead what arrived and no followers', () => {
    const b = buildBatch({ command: 'true' }, [{ command: 'true' }]);
    const got = b.parse({ rc: -1, signal: 'KILL', stdout: 'partial', stderr: '' });
    expect(got.lead).toMatchObject({ rc: -1, stdout: 'partial' });
    expect(got.followers).toEqual([]);
  });

  it('output that imitates a marker of another batch is only output', async () => {
    const b = buildBatch(undefined, [{ command: 'echo "@fleetplay-batch:0000000000000000:rc:0 9"' }]);
    const got = b.parse(await spawnShell(b.script));
    expect(got.followers[0]).toMatchObject({ rc: 0, stdout: '@fleetplay-batch:0000000000000000:rc:0 9\n' });
  });
});
