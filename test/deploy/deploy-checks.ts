// What deploy/'s examples must get right for a sharded run to cover every host once: a JSON Schema
// for the fields that matter (not the whole Kubernetes or Actions schema; without a cluster kubectl
// cannot validate offline) and the checks across fields and files a schema cannot express.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';

const envList = {
  type: 'array',
  items: { type: 'object', required: ['name', 'value'], properties: { name: { type: 'string' }, value: { type: 'string' } } },
};
const shellCommand = { type: 'array', prefixItems: [{ const: '/bin/sh' }, { const: '-c' }, { type: 'string' }], minItems: 3, maxItems: 3 };
const container = {
  type: 'object',
  required: ['name', 'image', 'command', 'env', 'volumeMounts'],
  properties: { name: { type: 'string' }, image: { type: 'string', minLength: 1 }, command: shellCommand, env: envList },
};
const claimVolume = {
  type: 'object',
  required: ['name', 'persistentVolumeClaim'],
  properties: { persistentVolumeClaim: { type: 'object', required: ['claimName'] } },
};
const podSpec = (extra: object) => ({
  type: 'object',
  required: ['template'],
  properties: {
    template: {
      type: 'object',
      required: ['spec'],
      properties: {
        spec: {
          type: 'object',
          required: ['restartPolicy', 'containers', 'volumes'],
          // podFailurePolicy is only allowed with Never; a restarted container would rerun a shard in place.
          properties: { restartPolicy: { const: 'Never' }, containers: { type: 'array', minItems: 1, items: container }, volumes: { type: 'array', contains: claimVolume }, ...extra },
        },
      },
    },
  },
});
const job = (spec: object) => ({ type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'], properties: { apiVersion: { const: 'batch/v1' }, kind: { const: 'Job' }, spec } });

export const SHARDS_JOB_SCHEMA = job({
  ...podSpec({}),
  required: ['completionMode', 'completions', 'parallelism', 'backoffLimitPerIndex', 'podFailurePolicy', 'template'],
  properties: {
    ...podSpec({}).properties,
    completionMode: { const: 'Indexed' },
    completions: { type: 'integer', minimum: 1 },
    parallelism: { type: 'integer', minimum: 1 },
    backoffLimitPerIndex: { type: 'integer', minimum: 0 },
    podFailurePolicy: { type: 'object', required: ['rules'] },
  },
});
export const MERGE_JOB_SCHEMA = job({
  ...podSpec({ initContainers: { type: 'array', minItems: 1, items: container } }),
  required: ['completions', 'activeDeadlineSeconds', 'template'],
  properties: { ...podSpec({ initContainers: { type: 'array', minItems: 1, items: container } }).properties, completions: { const: 1 }, activeDeadlineSeconds: { type: 'integer', minimum: 1 } },
});
export const PVC_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'v1' },
    kind: { const: 'PersistentVolumeClaim' },
    metadata: { type: 'object', required: ['name'] },
    // Shard pods write at the same time from different nodes.
    spec: { type: 'object', required: ['accessModes'], properties: { accessModes: { type: 'array', contains: { const: 'ReadWriteMany' } } } },
  },
};
const step = { type: 'object', properties: { uses: { type: 'string' }, run: { type: 'string' }, with: { type: 'object' } } };
export const WORKFLOW_SCHEMA = {
  type: 'object',
  required: ['name', 'on', 'env', 'jobs'],
  properties: {
    env: { type: 'object', required: ['SHARDS', 'REPORTS'], properties: { SHARDS: { type: 'integer', minimum: 1 } } },
    jobs: {
      type: 'object',
      required: ['shard', 'merge'],
      properties: {
        shard: {
          type: 'object',
          required: ['strategy', 'env', 'steps'],
          properties: {
            strategy: {
              type: 'object',
              required: ['fail-fast', 'matrix'],
              properties: { 'fail-fast': { const: false }, matrix: { type: 'object', required: ['shard'], properties: { shard: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', minimum: 1 } } } } },
            },
            env: { type: 'object', required: ['SHARD'], properties: { SHARD: { const: '${{ matrix.shard }}' } } },
            steps: { type: 'array', items: step },
          },
        },
        merge: {
          type: 'object',
          required: ['needs', 'if', 'steps'],
          properties: { needs: { anyOf: [{ const: 'shard' }, { type: 'array', contains: { const: 'shard' } }] }, steps: { type: 'array', items: step } },
        },
      },
    },
  },
};

const ajv = new Ajv2020({ allErrors: true, strict: false });
function schemaProblems(file: string, schema: object, doc: unknown): string[] {
  const validate = ajv.compile(schema);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${file}: ${e.instancePath || '/'} ${e.message}${e.params && 'allowedValue' in e.params ? ` (${String(e.params.allowedValue)})` : ''}`);
}

const envOf = (c: any): Record<string, string> => Object.fromEntries((c?.env ?? []).map((e: any) => [e.name, String(e.value)]));
export const scriptOf = (c: any): string => c?.command?.[2] ?? '';

/** Every problem of the Kubernetes example; [] when a run of it covers each host once. */
export function kubernetesProblems(pvc: any, shards: any, merge: any): string[] {
  const problems = [...schemaProblems('reports-pvc.yaml', PVC_SCHEMA, pvc), ...schemaProblems('shards-job.yaml', SHARDS_JOB_SCHEMA, shards), ...schemaProblems('merge-job.yaml', MERGE_JOB_SCHEMA, merge)];
  if (problems.length) return problems;
  const n = shards.spec.completions;
  if (shards.spec.parallelism > n) problems.push(`shards-job.yaml: parallelism ${shards.spec.parallelism} is more than completions ${n}`);
  const worker = shards.spec.template.spec.containers[0];
  const gate = merge.spec.template.spec.initContainers[0];
  const merger = merge.spec.template.spec.containers[0];
  if (envOf(worker).SHARDS !== String(n)) problems.push(`shards-job.yaml: SHARDS is ${envOf(worker).SHARDS}, completions is ${n}`);
  if (envOf(gate).SHARDS !== String(n)) problems.push(`merge-job.yaml: ${gate.name} waits for SHARDS=${envOf(gate).SHARDS} reports, the shards' Job has ${n}`);
  if (!/JOB_COMPLETION_INDEX/.test(scriptOf(worker)) || !/--shard /.test(scriptOf(worker))) problems.push('shards-job.yaml: the command does not derive --shard from JOB_COMPLETION_INDEX');
  if (!/fleetplay report merge /.test(scriptOf(merger))) problems.push('merge-job.yaml: the container does not run fleetplay report merge');
  const reports = new Set([worker, gate, merger].map((c) => envOf(c).REPORTS));
  if (reports.size !== 1) problems.push(`REPORTS differs between the containers: ${[...reports].join(', ')}`);
  for (const [file, j, cs] of [['shards-job.yaml', shards, [worker]], ['merge-job.yaml', merge, [gate, merger]]] as const) {
    const volume = j.spec.template.spec.volumes.find((v: any) => v.persistentVolumeClaim);
    if (volume.persistentVolumeClaim.claimName !== pvc.metadata.name) problems.push(`${file}: claims ${volume.persistentVolumeClaim.claimName}, the reports volume is ${pvc.metadata.name}`);
    for (const c of cs) {
      const mount = (c.volumeMounts ?? []).find((m: any) => m.name === volume.name);
      if (!mount || !envOf(c).REPORTS?.startsWith(`${mount.mountPath}/`)) problems.push(`${file}: ${c.name} writes REPORTS=${envOf(c).REPORTS} outside the reports volume`);
    }
  }
  // The exit codes that mean "the report is written, running again changes nothing" must not be retried.
  const failIndex = shards.spec.podFailurePolicy.rules.find((r: any) => r.action === 'FailIndex');
  if (!failIndex || ![2, 4].every((c) => failIndex.onExitCodes?.values?.includes(c))) problems.push('shards-job.yaml: exit codes 2 and 4 (hosts failed, report written) are retried');
  return problems;
}

const stepRunning = (j: any, re: RegExp): any => (j?.steps ?? []).find((s: any) => re.test(s.run ?? ''));
export const shardStep = (wf: any): any => stepRunning(wf.jobs.shard, /--shard /);
export const mergeStep = (wf: any): any => stepRunning(wf.jobs.merge, /fleetplay report merge /);

/** Every problem of the GitHub Actions example. */
export function workflowProblems(wf: any): string[] {
  const problems = schemaProblems('fleetplay-sharded.yml', WORKFLOW_SCHEMA, wf);
  if (problems.length) return problems;
  const n: number = wf.env.SHARDS;
  const matrix: number[] = wf.jobs.shard.strategy.matrix.shard;
  const expected = Array.from({ length: n }, (_, i) => i + 1);
  if (JSON.stringify([...matrix].sort((a, b) => a - b)) !== JSON.stringify(expected)) problems.push(`matrix.shard is [${matrix.join(', ')}], SHARDS=${n} needs [${expected.join(', ')}]`);
  if (!shardStep(wf)) problems.push('the shard job has no step running fleetplay --shard');
  if (!mergeStep(wf)) problems.push('the merge job has no step running fleetplay report merge');
  const upload = wf.jobs.shard.steps.find((s: any) => s.uses?.startsWith('actions/upload-artifact@'));
  const download = wf.jobs.merge.steps.find((s: any) => s.uses?.startsWith('actions/download-artifact@'));
  if (!upload || !String(upload.with?.name).includes('${{ matrix.shard }}')) problems.push("the shard job does not upload its report under a name of its own");
  else if (upload.if !== '${{ !cancelled() }}') problems.push('a shard whose hosts failed does not upload its report');
  if (!download || download.with?.['merge-multiple'] !== true) problems.push('the merge job does not download every shard report into one directory');
  else if (!String(upload?.with?.name).startsWith(String(download.with?.pattern).replace(/\*$/, ''))) problems.push(`the merge job downloads ${download.with?.pattern}, the shards upload ${upload?.with?.name}`);
  return problems;
}
