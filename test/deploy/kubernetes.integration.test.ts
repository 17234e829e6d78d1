// deploy/kubernetes: the Indexed Job, the merge Job and the reports volume, checked for what makes a
// sharded run cover every host once, and their shell run as the pods run it: each pod's
// JOB_COMPLETION_INDEX becomes the --shard the CLI's own parser accepts, and the real CLI's shard
// reports pass the merge Job's gate and merge into one recap of every host.
import { readFile, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShard } from '../../src/cli/shard.js';
import { workspace, type Workspace } from '../support/workspace.js';
import { kubernetesProblems, scriptOf } from './deploy-checks.js';
import { DEPLOY, fleetplayBins, loadYaml, localProject, runScript, shardArgument } from './support.js';

let pvc: any, shards: any, merge: any;
let ws: Workspace;
let bins: { args: string; real: string };
beforeAll(async () => {
  [pvc, shards, merge] = await Promise.all(['reports-pvc.yaml', 'shards-job.yaml', 'merge-job.yaml'].map((f) => loadYaml(`kubernetes/${f}`, '1.1')));
  ws = await workspace('deploy-k8s');
  bins = await fleetplayBins(ws.dir);
});
afterAll(async () => ws.remove());

const clone = (x: unknown): any => structuredClone(x);
const worker = (job: any) => job.spec.template.spec.containers[0];
const envOf = (c: any): Record<string, string> => Object.fromEntries(c.env.map((e: any) => [e.name, String(e.value)]));
/** The pod's environment with paths moved into the workspace, and `fleetplay` from `bin`. */
const podEnv = (c: any, bin: string, extra: Record<string, string> = {}) => ({
  ...envOf(c),
  REPORTS: ws.path('reports', 'run-1'),
  PLAYBOOK: ws.path('site.yml'),
  INVENTORY: ws.path('inventory.yml'),
  HOME: ws.dir,
  PATH: `${bin}:${process.env.PATH}`,
  ...extra,
});

describe('deploy/kubernetes schema', () => {
  it('the examples have every field a sharded run depends on, consistent across the three files', () => {
    expect(kubernetesProblems(pvc, shards, merge)).toEqual([]);
    expect(shards.spec.completions).toBe(3);
  });

  it.each([
    ['a Job that is not Indexed', (s: any) => (s.spec.completionMode = 'NonIndexed'), /completionMode must be equal to constant \(Indexed\)/],
    ['SHARDS other than completions', (s: any) => (s.spec.completions = 4), /SHARDS is 3, completions is 4/],
    ['more parallel pods than shards', (s: any) => (s.spec.parallelism = 5), /parallelism 5 is more than completions 3/],
    ['a restarted container', (s: any) => (s.spec.template.spec.restartPolicy = 'OnFailure'), /restartPolicy must be equal to constant/],
    ['--shard not from the index', (s: any) => (worker(s).command[2] = 'exec fleetplay site.yml --shard 1/3'), /does not derive --shard from JOB_COMPLETION_INDEX/],
    ['retrying a shard whose report is written', (s: any) => (s.spec.podFailurePolicy.rules = []), /exit codes 2 and 4/],
  ])('refuses %s', (_what, mutate, problem) => {
    const s = clone(shards);
    mutate(s);
    expect(kubernetesProblems(pvc, s, merge).join('\n')).toMatch(problem);
  });

  it('refuses a merge step that waits for another count, or reads another volume or directory', () => {
    const m = clone(merge);
    m.spec.template.spec.initContainers[0].env.find((e: any) => e.name === 'SHARDS').value = '2';
    expect(kubernetesProblems(pvc, shards, m).join('\n')).toMatch(/waits for SHARDS=2 reports, the shards' Job has 3/);
    const v = clone(merge);
    v.spec.template.spec.volumes[0].persistentVolumeClaim.claimName = 'other';
    expect(kubernetesProblems(pvc, shards, v).join('\n')).toMatch(/claims other, the reports volume is fleetplay-reports/);
    const d = clone(merge);
    worker(d).env.find((e: any) => e.name === 'REPORTS').value = '/reports/run-2';
    expect(kubernetesProblems(pvc, shards, d).join('\n')).toMatch(/REPORTS differs/);
    const p = clone(pvc);
    p.spec.accessModes = ['ReadWriteOnce'];
    expect(kubernetesProblems(p, shards, merge).join('\n')).toMatch(/accessModes must contain/);
  });
});

describe('deploy/kubernetes shell', () => {
  it('turns each JOB_COMPLETION_INDEX 0..completions-1 into a --shard the CLI accepts, every shard once', async () => {
    const n = shards.spec.completions;
    const seen: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = await runScript(['/bin/sh', '-c'], scriptOf(worker(shards)), podEnv(worker(shards), bins.args, { JOB_COMPLETION_INDEX: String(i) }));
      expect(r.code, r.stderr).toBe(0);
      const shard = parseShard(shardArgument(r.stdout)!);
      expect(shard).toEqual({ index: i + 1, count: n });
      expect(r.stdout.split('\n')).toContain(ws.path('reports', 'run-1', `shard-${i + 1}.json`));
      seen.push(shard.index);
    }
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });

  // Five CLI processes in a row: on a loaded 2-core machine that exceeds the default minute.
  it('runs the real CLI per pod; the gate waits for every report, then the merge covers every host once', async () => {
    const hosts = await localProject(ws.dir, 'site.yml', 'inventory.yml', 7);
    const n = shards.spec.completions;
    const gate = merge.spec.template.spec.initContainers[0];
    for (let i = 0; i < n; i++) {
      if (i === n - 1) {
        // One report short: the gate is still waiting when it is stopped.
        const waiting = await runScript(['/bin/sh', '-c'], scriptOf(gate), podEnv(gate, bins.real), { timeoutMs: 1500 });
        expect(waiting.code).toBeNull();
      }
      const r = await runScript(['/bin/sh', '-c'], scriptOf(worker(shards)), podEnv(worker(shards), bins.real, { JOB_COMPLETION_INDEX: String(i) }));
      expect(r.code, r.stderr).toBe(0);
    }
    expect((await readdir(ws.path('reports', 'run-1'))).sort()).toEqual(['shard-1.json', 'shard-2.json', 'shard-3.json']);
    const opened = await runScript(['/bin/sh', '-c'], scriptOf(gate), podEnv(gate, bins.real), { timeoutMs: 5000 });
    expect(opened.code).toBe(0);
    const merged = await runScript(['/bin/sh', '-c'], scriptOf(worker(merge)), podEnv(worker(merge), bins.real));
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain(`MERGED ${n} shard reports`);
    const report = JSON.parse(await readFile(ws.path('reports', 'run-1', 'merged.json'), 'utf8'));
    expect(Object.keys(report.stats).sort()).toEqual(hosts);
    expect(report.merged.shards).toBe(n);
  }, 180_000);
});

// kubectl's client-side dry run still asks an API server for the resource types: it validates only
// where a cluster is reachable, and is reported as skipped (not passed) elsewhere.
