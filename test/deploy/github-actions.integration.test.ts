// deploy/github-actions: the workflow's matrix is the shard count, the merge job needs the shard
// job, and the steps' shell, run as Actions runs it (bash -e, the workflow's and job's env), gives
// each matrix entry the --shard the CLI's parser accepts and real reports that merge into every host.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShard } from '../../src/cli/shard.js';
import { workspace, type Workspace } from '../support/workspace.js';
import { mergeStep, shardStep, workflowProblems } from './deploy-checks.js';
import { fleetplayBins, loadYaml, localProject, runScript, shardArgument } from './support.js';

// How Actions runs a `run:` step on Linux (`shell: bash`).
const BASH = ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c'];
let wf: any;
let ws: Workspace;
let bins: { args: string; real: string };
beforeAll(async () => {
  wf = await loadYaml('github-actions/fleetplay-sharded.yml', '1.2');
  ws = await workspace('deploy-gha');
  bins = await fleetplayBins(ws.dir);
});
afterAll(async () => ws.remove());

const clone = (x: unknown): any => structuredClone(x);
/** A shard job's environment for one matrix entry: `${{ }}` expressions are what Actions would put there. */
const stepEnv = (bin: string, extra: Record<string, string>) => ({
  ...Object.fromEntries(Object.entries(wf.env).map(([k, v]) => [k, String(v)])),
  HOME: ws.dir,
  PATH: `${bin}:${process.env.PATH}`,
  ...extra,
});

describe('deploy/github-actions schema', () => {
  it('the workflow runs one job per shard 1..SHARDS and a merge job after them', () => {
    expect(workflowProblems(wf)).toEqual([]);
    expect(wf.jobs.shard.strategy.matrix.shard).toHaveLength(wf.env.SHARDS);
  });

  it.each([
    ['a matrix smaller than SHARDS', (w: any) => (w.jobs.shard.strategy.matrix.shard = [1, 2]), /matrix.shard is \[1, 2\], SHARDS=3 needs \[1, 2, 3\]/],
    ['a matrix numbered from 0', (w: any) => (w.jobs.shard.strategy.matrix.shard = [0, 1, 2]), /must be >= 1/],
    ['a shard listed twice', (w: any) => (w.jobs.shard.strategy.matrix.shard = [1, 2, 2]), /must NOT have duplicate items/],
    ['a merge job that does not wait for the shards', (w: any) => delete w.jobs.merge.needs, /must have required property 'needs'/],
    ['cancelling the other shards when one fails', (w: any) => (w.jobs.shard.strategy['fail-fast'] = true), /fail-fast must be equal to constant/],
    ['one artifact name for every shard', (w: any) => (w.jobs.shard.steps.find((s: any) => s.uses?.startsWith('actions/upload')).with.name = 'report'), /does not upload its report under a name of its own/],
    ['no report when hosts failed', (w: any) => delete w.jobs.shard.steps.find((s: any) => s.uses?.startsWith('actions/upload')).if, /does not upload its report$/m],
    ['downloading other artifacts', (w: any) => (w.jobs.merge.steps.find((s: any) => s.uses?.startsWith('actions/download')).with.pattern = 'report-*'), /downloads report-\*, the shards upload/],
  ])('refuses %s', (_what, mutate, problem) => {
    const w = clone(wf);
    mutate(w);
    expect(workflowProblems(w).join('\n')).toMatch(problem);
  });
});

describe('deploy/github-actions shell', () => {
  it('gives each matrix entry its --shard, parsed by the CLI, with --check --diff when asked', async () => {
    for (const check of ['', '--check --diff']) {
      const seen: number[] = [];
      for (const k of wf.jobs.shard.strategy.matrix.shard) {
        const r = await runScript(BASH, shardStep(wf).run, stepEnv(bins.args, { SHARD: String(k), CHECK: check }), { cwd: ws.dir });
        expect(r.code, r.stderr).toBe(0);
        expect(parseShard(shardArgument(r.stdout)!)).toEqual({ index: k, count: wf.env.SHARDS });
        const args = r.stdout.split('\n');
        expect(args.includes('--check') && args.includes('--diff')).toBe(check !== '');
        expect(args).toContain(`reports/shard-${k}.json`);
        seen.push(k);
      }
      expect(seen.sort()).toEqual(Array.from({ length: wf.env.SHARDS }, (_, i) => i + 1));
    }
  });

  // Four CLI processes in a row: on a loaded 2-core machine that can exceed the default minute.
  it('runs the real CLI per matrix entry, and the merge step joins the reports into every host', async () => {
    const hosts = await localProject(ws.dir, wf.env.PLAYBOOK, wf.env.INVENTORY, 6);
    for (const k of wf.jobs.shard.strategy.matrix.shard) {
      const r = await runScript(BASH, shardStep(wf).run, stepEnv(bins.real, { SHARD: String(k), CHECK: '--check --diff' }), { cwd: ws.dir });
      expect(r.code, r.stderr).toBe(0);
    }
    const merged = await runScript(BASH, mergeStep(wf).run, stepEnv(bins.real, {}), { cwd: ws.dir });
    expect(merged.code, merged.stderr).toBe(0);
    const report = JSON.parse(await readFile(ws.path(wf.env.REPORTS, 'merged.json'), 'utf8'));
    expect(Object.keys(report.stats).sort()).toEqual(hosts);
    expect(report.merged.shards).toBe(wf.env.SHARDS);
  }, 180_000);
});
