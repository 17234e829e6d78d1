import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pause, pauseSeconds } from '../../src/modules/pause.js';
import { raw } from '../../src/modules/raw.js';
import { script, splitScriptCmd } from '../../src/modules/script.js';
import { makeHostContext, runModule, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

describe('raw', () => {
  it('runs the line through the shell unchanged and keeps the trailing newline', async () => {
    const r = await runModule(raw, { cmd: `echo one; echo two >&2; touch ${join(dir, 'ran')}` });
    expect(r.status).toBe('changed');
    expect(r.applied?.result).toMatchObject({ rc: 0, stdout: 'one\n', stderr: 'two\n', stdout_lines: ['one'] });
    expect((await readdir(dir))).toEqual(['ran']);
  });

  it('does not run in check mode and fails on a non-zero exit with the output kept', async () => {
    const dry = await runModule(raw, { cmd: `touch ${join(dir, 'ran')}` }, { check: true });
    expect(dry.status).toBe('skipped');
    expect(await readdir(dir)).toEqual([]);
    const bad = await runModule(raw, { cmd: 'echo oops; exit 3', executable: '/bin/bash' });
    expect([bad.status, bad.msg, bad.applied?.result?.rc, bad.applied?.result?.stdout]).toEqual(['failed', 'non-zero return code', 3, 'oops\n']);
  });
});

describe('script', () => {
  it('splits the script path from its arguments', () => {
    expect(splitScriptCmd('files/x.sh --a "b c"')).toEqual({ path: 'files/x.sh', params: '--a "b c"' });
    expect(splitScriptCmd("'my dir/x.sh'")).toEqual({ path: 'my dir/x.sh', params: '' });
  });

  it('uploads, runs with arguments and chdir, removes the copy; creates makes it idempotent', async () => {
    await writeFile(join(dir, 'hello.sh'), '#!/bin/sh\necho "args: $*"\npwd\ntouch done\necho "$0" > where\n');
    const ctx = makeHostContext({ baseDir: dir });
    const args = { cmd: `${join(dir, 'hello.sh')} a 'b c'`, chdir: dir, creates: join(dir, 'done') };
    const dry = await runModule(script, args, { ctx, check: true });
    expect(dry.status).toBe('skipped');
    const r = await runModule(script, args, { ctx });
    expect(r.status).toBe('changed');
    expect(r.applied?.result).toMatchObject({ rc: 0, stdout_lines: ['args: a b c', dir] });
    const where = (await readFile(join(dir, 'where'), 'utf8')).trim();
    expect(where).toMatch(/fleetplay-script\.[^/]+\/hello\.sh$/);
    await expect(readFile(where)).rejects.toThrow();
    const again = await runModule(script, args, { ctx });
    expect([again.status, again.plan.result?.msg]).toEqual(['ok', `Did not run command since '${join(dir, 'done')}' exists`]);
  });

  it('runs with an executable, fails on non-zero exit, and names a missing script', async () => {
    await writeFile(join(dir, 'fail.sh'), 'echo bad >&2; exit 4\n');
    const r = await runModule(script, { cmd: join(dir, 'fail.sh'), executable: '/bin/sh' });
    expect([r.status, r.applied?.result?.rc, r.applied?.result?.stderr]).toEqual(['failed', 4, 'bad\n']);
    const missing = await runModule(script, { cmd: 'nope.sh' }, { ctx: makeHostContext({ baseDir: dir }) });
    expect(missing.msg).toBe(`Could not find or access 'nope.sh' (looked for ${join(dir, 'files', 'nope.sh')})`);
  });
});

describe('pause', () => {
  it('reads seconds and minutes as Ansible does', () => {
    expect(pauseSeconds({ seconds: 2 })).toBe(2);
    expect(pauseSeconds({ minutes: '0.5' })).toBe(30);
    expect(pauseSeconds({ seconds: 0 })).toBe(1);
    expect(pauseSeconds({})).toBeNull();
    expect(pauseSeconds({ seconds: 'soon' })).toBe("seconds must be a number, got 'soon'");
  });

  it('waits the time, in check mode too, and reports it', async () => {
    const t0 = Date.now();
    const r = await runModule(pause, { seconds: 1, prompt: 'settling' }, { check: true });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(990);
    expect(r.status).toBe('ok');
    expect(r.plan.result).toMatchObject({ delta: 1, user_input: '', stdout: 'Paused for 1 seconds', echo: true });
  });

  it('does not wait for a prompt when stdin is not a terminal, and says so', async () => {
    const tty = process.stdin.isTTY;
    (process.stdin as { isTTY?: boolean }).isTTY = false;
    try {
      const r = await runModule(pause, { prompt: 'Press enter' });
      expect([r.status, r.plan.warnings, r.plan.result?.user_input]).toEqual(['ok', ['Not waiting for response to prompt as stdin is not interactive'], '']);
    } finally {
      (process.stdin as { isTTY?: boolean }).isTTY = tty;
    }
  });

  it('fails clearly on a time that is not a number', async () => {
    expect((await runModule(pause, { minutes: 'x' })).msg).toBe("minutes must be a number, got 'x'");
  });
});
