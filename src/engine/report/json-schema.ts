// The --json report's schema, written once here; schemas/report.json is generated from it and the
// report's TypeScript types are derived from it.
import Type, { type Static } from 'typebox';

const Count = Type.Integer({ minimum: 0 });

const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });

const Loc = Type.Object({ file: Type.String(), line: Type.Integer({ minimum: 1 }), col: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

const Status = Type.Union([Type.Literal('ok'), Type.Literal('changed'), Type.Literal('failed'), Type.Literal('skipped'), Type.Literal('unreachable')]);

const Diff = Type.Union([
  Type.Object(
    { kind: Type.Literal('text'), path: Type.String(), before: Type.String(), after: Type.String() },
    { additionalProperties: false, description: 'File content before and after; the text reporter renders it as a unified diff.' },
  ),
  Type.Object(
    {
      kind: Type.Literal('fields'),
      label: Type.Optional(Type.String()),
      fields: Type.Array(Type.Object({ key: Type.String(), before: Type.Unknown(), after: Type.Unknown() }, { additionalProperties: false })),
    },
    { additionalProperties: false, description: 'Structured state: each field before and after.' },
  ),
]);

// A no_log result keeps only its status (and the flags that count it): never data, msg or diff.
const resultFields = {
  status: Status,
  noLog: Type.Optional(Type.Literal(true)),
  changed: Type.Optional(Type.Boolean()),
  ignored: Type.Optional(Type.Boolean({ description: 'Failed, but ignore_errors: counted as ignored.' })),
  rescued: Type.Optional(Type.Boolean({ description: 'Failed inside a block whose rescue ran.' })),
  checkMode: Type.Optional(Type.Boolean({ description: 'Check mode: the status says what would happen.' })),
  msg: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String({ description: 'Why nothing was done, or why the task was skipped.' })),
  diff: Type.Optional(Type.Array(Diff)),
  warnings: Type.Optional(Type.Array(Type.String())),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'The registered result (rc, stdout, stderr, ...).' })),
  durationMs: Type.Optional(Type.Number({ minimum: 0 })),
};

const ItemResult = Type.Object({ ...resultFields, label: Type.Optional(Type.String()) }, { additionalProperties: false });

const HostResult = Type.Object(
  { host: Type.String(), ...resultFields, delegatedTo: Type.Optional(Type.String()), items: Type.Optional(Type.Array(ItemResult)) },
  { additionalProperties: false },
);

const TaskReport = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    module: Type.String(),
    role: Type.Optional(Type.String()),
    isHandler: Type.Boolean(),
    loc: Loc,
    results: Type.Array(HostResult, { description: 'One entry per host result, in arrival order.' }),
  },
  { additionalProperties: false },
);

const PlayReport = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    playbook: Type.String(),
    loc: Loc,
    hosts: Type.Array(Type.String()),
    tasks: Type.Array(TaskReport),
  },
  { additionalProperties: false },
);

const HostStats = Type.Object(
  { ok: Count, changed: Count, unreachable: Count, failed: Count, skipped: Count, rescued: Count, ignored: Count },
  { additionalProperties: false },
);

export const reportSchema = Type.Object(
  {
    version: Type.Literal(1),
    playbook: Type.String({ description: 'The first (usually only) playbook of the run.' }),
    playbooks: Type.Array(Type.String()),
    checkMode: Type.Boolean(),
    diffMode: Type.Boolean(),
    startedAt: Type.String({ format: 'date-time' }),
    endedAt: Type.String({ format: 'date-time' }),
    interrupted: Type.Boolean(),
    plays: Type.Array(PlayReport),
    warnings: Type.Array(
      Type.Object({ message: Type.String(), host: Type.Optional(Type.String()), loc: Type.Optional(Loc) }, { additionalProperties: false }),
    ),
    stats: Type.Record(Type.String(), HostStats, { description: 'PLAY RECAP counts per host.' }),
    pendingHandlers: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()), { description: 'Notified handlers that did not run, per host.' })),
    remote: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Object(
          {
            commands: Type.Integer({ minimum: 0, description: 'Remote commands started on the host (a batch of reads is one).' }),
            readAhead: Type.Integer({ minimum: 0, description: 'Reads answered by a batch instead of a command of their own.' }),
          },
          { additionalProperties: false },
        ),
        { description: 'Per POSIX host: what the run sent to it.' },
      ),
    ),
    exitCode: Type.Optional(Type.Integer({ minimum: 0, description: "The run's exit code (see the README's exit codes)." })),
    inputs: Type.Optional(
      Type.Object(
        {
          playbooks: Sha256,
          inventory: Sha256,
        },
        {
          additionalProperties: false,
          description:
            "SHA-256 digests of what the run was made from: every file under the playbooks' directories, and the resolved inventory (hosts, groups, variables; secret-named values left out). `report merge` refuses reports whose digests differ.",
        },
      ),
    ),
    shard: Type.Optional(
      Type.Object({ index: Type.Integer({ minimum: 1 }), count: Type.Integer({ minimum: 1 }) }, { additionalProperties: false, description: 'This run was `--shard index/count`.' }),
    ),
    merged: Type.Optional(
      Type.Object(
        { shards: Type.Integer({ minimum: 1 }), files: Type.Array(Type.String()) },
        { additionalProperties: false, description: 'Written by `fleetplay report merge`: how many shard reports were joined, and which files.' },
      ),
    ),
  },
  {
    title: 'fleetplay run report',
    description: 'Written by `fleetplay --json FILE`: every host result of every task, with diffs and the recap.',
    additionalProperties: false,
  },
);

export type RunReport = Static<typeof reportSchema>;
export type PlayReport = Static<typeof PlayReport>;
export type TaskReport = Static<typeof TaskReport>;
export type HostResultReport = Static<typeof HostResult>;
export type ItemResultReport = Static<typeof ItemResult>;

/** What the CLI knows of a run beyond its events: written into the report when it closes. */
export interface ReportMeta {
  playbooks?: string[];
  checkMode?: boolean;
  exitCode?: number;
  inputs?: NonNullable<RunReport['inputs']>;
  shard?: NonNullable<RunReport['shard']>;
}
