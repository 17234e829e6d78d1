import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { command, commandArgv, commandLine } from '../../src/modules/command.js';
import { shell } from '../../src/modules/shell.js';
import { quoteGlob, shlexSplit } from '../../src/modules/lib/shlex.js';
import { makeHostContext, runModule, snapshot, tempDir } from '../support/module-host.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => cleanup());

describe('shlex and quoting', () => {
  it('splits like Python shlex.split', () => {
    expect(shlexSplit(`echo 'a b' "c \\"d\\" \\$e" f\\ g ''`)).toEqual(['echo', 'a b', 'c "d" \\$e', 'f g', '']);
    expect(() => shlexSplit("echo 'open")).toThrow('No closing quotation');
  });

  it('passes shell operators literally to the program', async () => {
    const r = await runModule(command, { cmd: 'echo a || b ; c > d' }, { ctx: makeHostContext() });
    expect(r.applied?.result?.stdout).toBe('a || b ; c > d');
  });

  it('expands $VAR, ${VAR} and ~ on the host, as Ansible does', async () => {
    const ctx = makeHostContext({ env: { FP_X: 'ex' } });
    const r = await runModule(command, { argv: ['echo', '$FP_X-${FP_X}', '~/sub', "it's"] }, { ctx });
    expect(r.applied?.result?.stdout).toBe(`ex-ex ${process.env.HOME}/sub it's`);
    const raw = await runModule(command, { argv: ['echo', '$FP_X'], expand_argument_vars: false }, { ctx });
    expect(raw.applied?.result?.stdout).toBe('$FP_X');
  });

  it('quotes globs so only the wildcards stay active', () => {
    expect(quoteGlob("/tmp/it's dir/*.conf")).toBe(`'/tmp/it'\\''s dir/'*.conf`);
    expect(quoteGlob('/a/[0-9]?')).toBe('/a/[0-9]?');
    expect(commandLine(['a b'])).toBe("'a b'");
    expect(commandArgv({})).toBe('no command given');
  });
});

describe('command', () => {
  it("returns Ansible's result record", async () => {
    const r = await runModule(command, { cmd: 'printf "l1\\nl2\\n"' });
    expect(r.status).toBe('changed');
    expect(r.applied?.result).toMatchObject({ rc: 0, stdout: 'l1\nl2', stdout_lines: ['l1', 'l2'], stderr: '', msg: '', cmd: ['printf', 'l1\\nl2\\n'] });
    expect(r.applied?.result?.start).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    expect(r.applied?.result?.delta).toMatch(/^0:00:0\d\.\d{6}$/);
  });

  it('fails with "non-zero return code" and keeps the output', async () => {
    const r = await runModule(command, { argv: ['sh', '-c', 'echo oops >&2; exit 3'] });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe('non-zero return code');
    expect(r.applied?.result).toMatchObject({ rc: 3, stderr: 'oops', stderr_lines: ['oops'] });
  });

  it('creates: skips with the reason when the path (or a glob match) exists', async () => {
    await writeFile(join(dir, 'done.flag'), '');
    const r = await runModule(command, { cmd: 'false', creates: join(dir, '*.flag') });
    expect(r.status).toBe('ok');
    expect(r.plan.reason).toBe(`skipped, since ${join(dir, '*.flag')} exists`);
    expect(r.plan.result).toMatchObject({ rc: 0, msg: `Did not run command since '${join(dir, '*.flag')}' exists` });
  });

  it('removes: runs only while the path exists; relative to chdir', async () => {
    await writeFile(join(dir, 'todo'), '');
    const args = { cmd: 'rm todo', removes: 'todo', chdir: dir };
    expect((await runModule(command, args)).status).toBe('changed');
    const again = await runModule(command, args);
    expect([again.status, again.plan.reason]).toEqual(['ok', 'skipped, since todo does not exist']);
  });

  it('is skipped in check mode unless creates/removes decide', async () => {
    const before = await snapshot(dir);
    const r = await runModule(command, { cmd: `touch ${join(dir, 'x')}` }, { check: true });
    expect(r.status).toBe('skipped');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('feeds stdin with a trailing newline by default', async () => {
    const r = await runModule(command, { cmd: 'od -c', stdin: 'hi' });
    expect(r.applied?.result?.stdout).toContain('h   i  \\n');
  });
});

describe('shell', () => {
  it('runs through the shell: pipes, redirects and ||', async () => {
    const out = join(dir, 'out');
    const r = await runModule(shell, { cmd: `echo one two | tr ' ' '\\n' > ${out} && test -x /nonexistent || true` });
    expect(r.status).toBe('changed');
    expect(await readFile(out, 'utf8')).toBe('one\ntwo\n');
    expect(r.applied?.result?.cmd).toContain('| tr');
  });

  it('uses the given executable and chdir', async () => {
    const r = await runModule(shell, { cmd: 'echo "$BASH_VERSION" | cut -c1; pwd', executable: '/bin/bash', chdir: dir });
    expect(r.applied?.result?.stdout_lines).toEqual([expect.stringMatching(/^\d$/), dir]);
  });

  it('creates makes the workload pattern idempotent', async () => {
    const flag = join(dir, 'flag');
    const args = { cmd: `echo restarted >> ${join(dir, 'log')} && touch ${flag}`, creates: flag };
    expect((await runModule(shell, args)).status).toBe('changed');
    expect((await runModule(shell, args)).status).toBe('ok');
    expect(await readFile(join(dir, 'log'), 'utf8')).toBe('restarted\n');
  });
});
