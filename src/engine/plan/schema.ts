// The saved plan's JSON Schema (schemas/plan.json): the `.fpplan` file and what `fleetplay show
// --json` prints (the same document with a `summary`). Versioned by `version`; readers refuse others.
import Type, { type Static } from 'typebox';

const DiffItemSchema = Type.Union([
  Type.Object({ kind: Type.Literal('text'), path: Type.String(), before: Type.String(), after: Type.String() }),
  Type.Object({
    kind: Type.Literal('fields'),
    label: Type.Optional(Type.String()),
    fields: Type.Array(Type.Object({ key: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
  }),
]);

const UnitSchema = Type.Object(
  {
    task: Type.String({ description: 'Task id in the run, e.g. play0/t3.' }),
    name: Type.String({ description: 'The task as the output names it.' }),
    module: Type.String(),
    item: Type.Integer({ minimum: 0, description: 'Loop item index (0 without a loop).' }),
    status: Type.Union([Type.Literal('change'), Type.Literal('ok'), Type.Literal('will-run'), Type.Literal('failed')], {
      description: "change: will change the host; ok: nothing to do; will-run: a command whose effect cannot be planned (it runs); failed: the plan already fails.",
    }),
    reason: Type.Optional(Type.String({ description: 'What the unit will do, or why nothing (redacted).' })),
    state: Type.String({ description: 'Salted sha256 of what the module read.' }),
    plan: Type.String({ description: 'Salted sha256 of what the module plans (changes, diff, vars and facts it sets).' }),
    changes: Type.Optional(Type.Unknown({ description: 'The planned changes for review; content as size and digest; redacted.' })),
    diff: Type.Optional(Type.Array(DiffItemSchema)),
    handler: Type.Optional(Type.Boolean()),
    notVerifiable: Type.Optional(Type.Boolean({ description: 'The module cannot show after apply that the host matches the plan.' })),
    noLog: Type.Optional(Type.Boolean({ description: 'no_log: only the digests are kept.' })),
  },
  { additionalProperties: false },
);

const FileDigestSchema = Type.Object({ path: Type.String(), sha256: Type.String() }, { additionalProperties: false });

export const PlanInputsSchema = Type.Object(
  {
    playbooks: Type.Object({ sha256: Type.String(), files: Type.Array(FileDigestSchema) }, { description: 'Every controller file the run loaded (playbooks, imports, roles, vars files, templates).' }),
    inventory: Type.String({ description: 'Digest of the resolved inventory (hosts, groups, variables).' }),
    extraVars: Type.String({ description: 'Digest of the extra variables (-e).' }),
  },
  { additionalProperties: false },
);

export const PlanInvocationSchema = Type.Object(
  {
    cwd: Type.String({ description: 'The directory the plan was made in; paths below are relative to it unless absolute.' }),
    playbooks: Type.Array(Type.String()),
    inventory: Type.Array(Type.String()),
    limit: Type.Optional(Type.String()),
    tags: Type.Array(Type.String()),
    skipTags: Type.Array(Type.String()),
    forks: Type.Integer(),
    diff: Type.Boolean(),
    extraVars: Type.Optional(Type.Array(Type.String(), { description: 'The -e arguments, when none holds a secret; otherwise apply needs them again.' })),
    extraVarsNeeded: Type.Optional(Type.Boolean({ description: 'The -e arguments held a secret: give the same ones to apply.' })),
  },
  { additionalProperties: false },
);

export const SummarySchema = Type.Object(
  {
    hosts: Type.Integer(),
    change: Type.Integer(),
    willRun: Type.Integer(),
    ok: Type.Integer(),
    failed: Type.Integer(),
    notVerifiable: Type.Integer(),
  },
  { additionalProperties: false },
);

export const SavedPlanSchema = Type.Object(
  {
    format: Type.Literal('fleetplay-plan'),
    version: Type.Literal(1),
    created: Type.String({ format: 'date-time' }),
    fleetplay: Type.String({ description: 'The fleetplay version that made the plan.' }),
    salt: Type.String({ description: 'Per-plan salt of the digests.' }),
    inputs: PlanInputsSchema,
    invocation: PlanInvocationSchema,
    hosts: Type.Record(Type.String(), Type.Object({ units: Type.Array(UnitSchema), handlers: Type.Array(Type.String()) }, { additionalProperties: false })),
    signature: Type.Optional(Type.String({ description: 'Ed25519 signature (base64) of the plan without this field, in canonical JSON.' })),
    summary: Type.Optional(SummarySchema),
  },
  { additionalProperties: false, description: 'A fleetplay saved plan (fleetplay plan --out; fleetplay show --json adds summary).' },
);

export type PlanInputs = Static<typeof PlanInputsSchema>;
export type PlanInvocation = Static<typeof PlanInvocationSchema>;
export type PlanSummary = Static<typeof SummarySchema>;
