// The .fpplan file: written privately and atomically, read back through the published schema, with
// placed errors for a damaged or foreign file; signatures catch any change after signing; show
// prints what a reviewer needs and flags what cannot be planned or verified.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/engine/contract/diagnostics.js';
import { readPlanFile, writePlanFile } from '../../../src/engine/plan/plan-file.js';
import type { SavedPlan } from '../../../src/engine/plan/saved-plan.js';
import { showJson, showText } from '../../../src/engine/plan/show.js';
import { checkSignature, signPlan } from '../../../src/engine/plan/signing.js';

const PLAN: SavedPlan = {
  format: 'fleetplay-plan',
  version: 1,
  created: '2026-12-07T05:00:00.000Z',
  fleetplay: '0.1.0',
  salt: 'ab12',
  inputs: { playbooks: { sha256: 'f'.repeat(64), files: [{ path: 'site.yml', sha256: 'e'.repeat(64) }] }, inventory: 'd'.repeat(64), extraVars: 'c'.repeat(64) },
  invocation: { cwd: '/work', playbooks: ['site.yml'], inventory: ['hosts.ini'], tags: [], skipTags: [], forks: 50, diff: true },
  hosts: {
    hpc1: {
      units: [
        { task: 'play0/t0', name: 'agent config', module: 'copy', item: 0, status: 'change', reason: 'create /etc/agent.conf', state: '1'.repeat(64), plan: '2'.repeat(64), diff: [{ kind: 'text', path: '/etc/agent.conf', before: '', after: 'rdma=on\n' }] },
        { task: 'play0/t1', name: 'probe', module: 'command', item: 0, status: 'will-run', reason: 'run cat /etc/x', state: '3'.repeat(64), plan: '4'.repeat(64), notVerifiable: true },
        { task: 'play0/t2', name: 'marker', module: 'copy', item: 0, status: 'ok', reason: '/etc/m already has this content', state: '5'.repeat(64), plan: '6'.repeat(64) },
      ],
      handlers: ['restart agent'],
    },
  },
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetplay-planfile-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('plan files', () => {
  it('round-trips, private and without a temp file left', async () => {
    const p = join(dir, 'plan.fpplan');
    await writePlanFile(p, PLAN);
    expect((await stat(p)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['plan.fpplan']);
    expect(await readPlanFile(p)).toEqual(PLAN);
  });

  it('refuses a foreign file, another version and a damaged plan, with the place', async () => {
    const p = join(dir, 'x.fpplan');
    await writeFile(p, '{"hello": 1}\n');
    await expect(readPlanFile(p)).rejects.toThrow(`${p}:1:1: ${p} is not a fleetplay plan`);
    await writeFile(p, JSON.stringify({ ...PLAN, version: 7 }));
    await expect(readPlanFile(p)).rejects.toThrow('plan format version 7 is not supported');
    const broken = structuredClone(PLAN) as unknown as { hosts: { hpc1: { units: Array<Record<string, unknown>> } } };
    broken.hosts.hpc1.units[1]!.status = 'maybe';
    await writeFile(p, JSON.stringify(broken, null, 2));
    const err = await readPlanFile(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).diagnostics[0]!.loc).toMatchObject({ file: p, line: expect.any(Number) });
    expect((err as InvalidInputError).message).toMatch(/status/);
  });

  it('the published schema accepts what show --json prints', async () => {
    const schema = JSON.parse(await readFile(new URL('../../../schemas/plan.json', import.meta.url), 'utf8'));
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const out = JSON.parse(showJson(PLAN));
    expect(validate(out), JSON.stringify(validate.errors)).toBe(true);
    expect(out.summary).toEqual({ hosts: 1, change: 1, willRun: 1, ok: 1, failed: 0, notVerifiable: 1 });
  });

  it('a signature holds for the plan and fails for any change or another key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const priv = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const signed = signPlan(PLAN, priv);
    expect(checkSignature(signed, pub)).toBeUndefined();
    const tampered = structuredClone(signed);
    tampered.hosts.hpc1!.units[0]!.reason = 'create /etc/other';
    expect(checkSignature(tampered, pub)).toMatch(/does not match/);
    expect(checkSignature(PLAN, pub)).toBe('the plan is not signed');
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(checkSignature(signed, other)).toMatch(/does not match/);
    // show's summary is not part of what was signed.
    expect(checkSignature({ ...signed, summary: JSON.parse(showJson(signed)).summary }, pub)).toBeUndefined();
  });

  it('show lists what changes with diffs, flags unplanned and unverifiable tasks, hides no-ops', () => {
    const text = showText(PLAN);
    expect(text).toContain('1 host: 1 to change, 1 will run unplanned, 0 failing, 1 ok');
    expect(text).toContain('! 1 task runs a command whose effect cannot be planned');
    expect(text).toContain('  ~ agent config (copy): create /etc/agent.conf');
    expect(text).toContain('      +rdma=on');
    expect(text).toContain('  ! probe (command): will run: run cat /etc/x  [not verifiable]');
    expect(text).toContain('  handlers that will run: restart agent');
    expect(text).not.toContain('marker');
    expect(showText(PLAN, { verbose: true })).toContain('marker (copy): /etc/m already has this content');
  });
});
