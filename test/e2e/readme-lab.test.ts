// The README's lab commands, run exactly as written (in a scratch directory where `playbooks/` is the
// repository's, so `.lab` is the test's own): the shipped playbooks run on the lab inventory with no
// `-e target=…`, `-e mofed_version=…` finds its checksum, and `lab down` twice is fine.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, readLabInfo } from '@fleetplay/lab';
import { fleetplay, recap, type CliResult } from '../support/cli.js';

const run = promisify(execFile);
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const PLAYBOOKS = fileURLToPath(new URL('../../playbooks', import.meta.url));

/** The `fleetplay …` lines of the first sh block under "### The lab", split as a shell would (no quotes there). */
async function readmeLabCommands(): Promise<string[][]> {
  const text = await readFile(README, 'utf8');
  const section = text.slice(text.indexOf('\n### The lab\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md: no sh block under "### The lab"');
  return block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('fleetplay '))
    .map((l) => l.split(/\s+/).slice(1));
}

let cwd: string;
let commands: string[][];
const results: Array<{ args: string[]; r: CliResult }> = [];
const labDir = () => join(cwd, '.lab');

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'fleetplay-readme-'));
  await symlink(PLAYBOOKS, join(cwd, 'playbooks'));
  commands = await readmeLabCommands();
  for (const args of commands) {
    const r = await fleetplay(args, { cwd, timeoutMs: 300_000 });
    results.push({ args, r });
    if (args[0] === 'lab' && args[1] === 'down') break;
    if (r.code !== 0) break;
  }
}, 900_000);
afterAll(async () => {
  if (await readLabInfo(labDir()).catch(() => undefined)) await labDown(labDir());
  await rm(cwd, { recursive: true, force: true });
});

const shown = (x: { args: string[]; r: CliResult }) => `fleetplay ${x.args.join(' ')}\n--- exit ${x.r.code} ---\n${x.r.stdout}${x.r.stderr}`;
const resultOf = (pred: (args: string[]) => boolean) => {
  const found = results.filter((x) => pred(x.args));
  if (found.length !== 1) throw new Error(`expected one README command to match, found ${found.length}`);
  return found[0]!;
};
const has = (args: string[], ...words: string[]) => words.every((w) => args.includes(w));

describe("the README's lab section, as written", { timeout: 300_000 }, () => {
  it('lists the commands this test expects (up, both playbooks, a second MOFED version, down)', () => {
    expect(commands[0]!.slice(0, 2)).toEqual(['lab', 'up']);
    expect(commands.at(-1)!.slice(0, 2)).toEqual(['lab', 'down']);
    expect(commands.some((a) => a[0] === 'playbooks/infiniband.yml' && a.some((x) => x.startsWith('mofed_version=')))).toBe(true);
    expect(commands.some((a) => a[0] === 'playbooks/gpu-partitioning.yml')).toBe(true);
    expect(commands.flat().some((a) => a.startsWith('target='))).toBe(false);
  });

  it('every command succeeds', () => {
    expect(results.length).toBe(commands.length);
    for (const x of results) expect(x.r.code, shown(x)).toBe(0);
  });

  it('infiniband.yml targets the hpc group: check mode, then MOFED on every HPC host', () => {
    const check = resultOf((a) => a[0] === 'playbooks/infiniband.yml' && has(a, '--check'));
    expect(Object.keys(recap(check.r.stdout)).sort(), shown(check)).toEqual(['linux-01', 'linux-02']);
    const first = resultOf((a) => a[0] === 'playbooks/infiniband.yml' && !has(a, '--check') && !a.some((x) => x.startsWith('mofed_version=')));
    // The playbook's own last task asserts that ofed_info reports the version it installed.
    expect(recap(first.r.stdout), shown(first)).toMatchObject({ 'linux-01': { changed: 4, failed: 0 }, 'linux-02': { changed: 4, failed: 0 } });
    expect(first.r.stdout + first.r.stderr).not.toMatch(/no checksum given/);
  });

  it('-e mofed_version=… installs that version, verified against the checksum the lab published for it', () => {
    const other = resultOf((a) => a[0] === 'playbooks/infiniband.yml' && a.some((x) => x.startsWith('mofed_version=')));
    const version = other.args.find((x) => x.startsWith('mofed_version='))!.split('=')[1]!;
    expect(version).not.toBe('5.8-3.0.7.0');
    // Reinstalled (MOFED, then its openibd restart; RDMA was already on), and ofed_info reports the new version (the playbook asserts it).
    expect(recap(other.r.stdout), shown(other)).toMatchObject({ 'linux-01': { changed: 2, failed: 0 }, 'linux-02': { changed: 2, failed: 0 } });
    // Installed verified: a tarball without a checksum would say "no checksum given" in a warning.
    expect(other.r.stdout + other.r.stderr).not.toMatch(/no checksum given/);
  });

  it('gpu-partitioning.yml targets the hyperv group and gives its gpu_vms a partition each', () => {
    const check = resultOf((a) => a[0] === 'playbooks/gpu-partitioning.yml' && has(a, '--check'));
    expect(Object.keys(recap(check.r.stdout)), shown(check)).toEqual(['win-01']);
    expect(check.r.stdout).toMatch(/vm-gpu-01/);
    const real = resultOf((a) => a[0] === 'playbooks/gpu-partitioning.yml' && !has(a, '--check') && !a.some((x) => x.startsWith('gpu_vram_mb=')));
    expect(recap(real.r.stdout), shown(real)).toMatchObject({ 'win-01': { failed: 0 } });
    expect(recap(real.r.stdout)['win-01']!.changed).toBeGreaterThan(0);
    // -e gpu_vram_mb=… resizes the partitions just assigned (Set-VMGpuPartitionAdapter).
    const resize = resultOf((a) => a[0] === 'playbooks/gpu-partitioning.yml' && a.some((x) => x.startsWith('gpu_vram_mb=')));
    expect(recap(resize.r.stdout), shown(resize)).toMatchObject({ 'win-01': { failed: 0, changed: 1 } });
    // The running VM holding a partition is shut down for the resize and started again.
    expect(resize.r.stdout).toMatch(/vm-gpu-01 running: shut down \(up to 300 s\) for the change and started again/);
  });

  it('leaves nothing behind, and a second lab down says there is no lab', async () => {
    const down = resultOf((a) => a[0] === 'lab' && a[1] === 'down');
    expect(down.r.stdout).toBe('lab down\n');
    expect(await readLabInfo(labDir())).toBeUndefined();
    const again = await fleetplay(down.args, { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(`no lab running in ${labDir()}\n`);
    expect((await run('ip', ['netns', 'list'])).stdout).not.toContain(cwd);
  });
});
