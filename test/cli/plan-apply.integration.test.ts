// plan → show → apply through the real CLI on two local-connection hosts: the same end state as a
// direct run; a file changed on one host by hand stops that host only; an edited playbook, a
// tampered or unsigned plan (when a key is required) and a stale plan are refused before anything
// runs; no secret reaches the plan file; `show --json` matches the published schema.
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptVault } from '../../src/engine/vault/index.js';
import { fleetplay } from '../support/cli.js';

const SECRET = 'pw-7f3a9c-never-in-plans';
let dir: string;

const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    db_password: ${SECRET}
  tasks:
    - name: write config
      copy: { dest: "{{ root }}/app.conf", content: "user=app\\npassword={{ db_password }}\\n", mode: "0600" }
      notify: mark restart
    - name: enable rdma
      lineinfile: { path: "{{ root }}/waagent.conf", regexp: '^OS.EnableRDMA=', line: OS.EnableRDMA=y }
  handlers:
    - name: mark restart
      copy: { dest: "{{ root }}/restarted", content: "yes\\n" }
`;

/** The project directory; the hosts' roots live beside it (a plan binds every file under it). */
async function fresh(name: string): Promise<string> {
  const d = join(dir, name, 'project');
  await mkdir(d, { recursive: true });
  for (const h of ['h1', 'h2']) {
    await mkdir(join(d, '..', h), { recursive: true });
    await writeFile(join(d, '..', h, 'waagent.conf'), 'OS.EnableRDMA=n\n');
  }
  await writeFile(join(d, 'site.yml'), PLAYBOOK);
  await writeFile(join(d, 'hosts.ini'), ['h1', 'h2'].map((h) => `${h} ansible_connection=local root=${join(d, '..', h)}`).join('\n') + '\n');
  return d;
}

const run = (d: string, args: string[]) => fleetplay(args, { cwd: d, timeoutMs: 60_000 });
const plan = (d: string, extra: string[] = []) => run(d, ['plan', 'site.yml', '-i', 'hosts.ini', '--out', 'change.fpplan', ...extra]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fp-plan-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fleetplay plan / show / apply', () => {
  it('plans without changing anything, shows the plan, applies it to the end state of a direct run', async () => {
    const d = await fresh('exact');
    const p = await plan(d);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toContain('PLAN saved to change.fpplan: 2 hosts, 6 to change');
    await expect(stat(join(d, '..', 'h1', 'app.conf'))).rejects.toThrow();
    expect((await stat(join(d, 'change.fpplan'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(d, 'change.fpplan'), 'utf8')).not.toContain(SECRET);

    const shown = await run(d, ['show', 'change.fpplan']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('HOST h1: 3 to change');
    expect(shown.stdout).toContain('write config');
    expect(shown.stdout).toContain('handlers that will run: mark restart');
    expect(shown.stdout).not.toContain(SECRET);

    const json = await run(d, ['show', 'change.fpplan', '--json']);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(await readFile(new URL('../../schemas/plan.json', import.meta.url), 'utf8')));
    const doc = JSON.parse(json.stdout);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.summary).toMatchObject({ hosts: 2, change: 6 });

    const a = await run(d, ['apply', 'change.fpplan']);
    expect(a.code, a.stderr + a.stdout).toBe(0);
    for (const h of ['h1', 'h2']) {
      expect(await readFile(join(d, '..', h, 'app.conf'), 'utf8')).toBe(`user=app\npassword=${SECRET}\n`);
      expect(await readFile(join(d, '..', h, 'waagent.conf'), 'utf8')).toBe('OS.EnableRDMA=y\n');
      expect(await readFile(join(d, '..', h, 'restarted'), 'utf8')).toBe('yes\n');
    }
    expect(a.stdout + a.stderr).not.toContain(SECRET);
    // Applied: the same plan now finds every host changed since, and refuses each.
    const again = await run(d, ['apply', 'change.fpplan']);
    expect(again.code).toBe(2);
  }, 120_000);

  it('stops only the host whose file was changed by hand, naming the task and what differs', async () => {
    const d = await fresh('drift');
    expect((await plan(d)).code).toBe(0);
    await writeFile(join(d, '..', 'h2', 'waagent.conf'), 'OS.EnableRDMA=y\n');
    const a = await run(d, ['apply', 'change.fpplan']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/drifted since plan: h2: enable rdma: planned: edit .*waagent\.conf.*; now: nothing to do/);
    expect(await readFile(join(d, '..', 'h1', 'app.conf'), 'utf8')).toContain('user=app');
    await expect(stat(join(d, '..', 'h2', 'app.conf'))).rejects.toThrow();
    expect(a.stderr).toContain('applied on 1 of 2 hosts');
  }, 120_000);

  it('with --all-or-nothing applies no host when one drifted', async () => {
    const d = await fresh('all');
    expect((await plan(d)).code).toBe(0);
    await writeFile(join(d, '..', 'h1', 'waagent.conf'), 'OS.EnableRDMA=y\n');
    const a = await run(d, ['apply', 'change.fpplan', '--all-or-nothing']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('nothing applied');
    await expect(stat(join(d, '..', 'h2', 'app.conf'))).rejects.toThrow();
  }, 120_000);

  it('refuses a plan whose playbook changed, naming the file, before anything runs', async () => {
    const d = await fresh('edited');
    expect((await plan(d)).code).toBe(0);
    await writeFile(join(d, 'site.yml'), PLAYBOOK.replace('user=app', 'user=other'));
    const a = await run(d, ['apply', 'change.fpplan']);
    expect(a.code).toBe(3);
    expect(a.stderr).toContain('refusing the plan: site.yml changed since the plan was made');
    await expect(stat(join(d, '..', 'h1', 'app.conf'))).rejects.toThrow();
  }, 120_000);

  it('requires a good signature when a verification key is given, and refuses a stale plan', async () => {
    const d = await fresh('signed');
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    await writeFile(join(d, 'sign.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await writeFile(join(d, 'verify.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    expect((await plan(d)).code).toBe(0);
    const unsigned = await run(d, ['apply', 'change.fpplan', '--verify-key', 'verify.pem']);
    expect(unsigned.code).toBe(3);
    expect(unsigned.stderr).toContain('refusing the plan: the plan is not signed');

    const p = await plan(d, ['--sign-key', 'sign.pem']);
    expect(p.stdout).toContain('(signed)');
    const text = await readFile(join(d, 'change.fpplan'), 'utf8');
    await writeFile(join(d, 'change.fpplan'), text.replace('"forks": 50', '"forks": 49'));
    const tampered = await run(d, ['apply', 'change.fpplan', '--verify-key', 'verify.pem']);
    expect(tampered.code).toBe(3);
    expect(tampered.stderr).toContain('the signature does not match the plan');

    await writeFile(join(d, 'change.fpplan'), text);
    const stale = await run(d, ['apply', 'change.fpplan', '--max-age', '0s']);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toContain('longer ago than --max-age 0s');
    await expect(stat(join(d, '..', 'h1', 'app.conf'))).rejects.toThrow();

    const ok = await run(d, ['apply', 'change.fpplan', '--verify-key', 'verify.pem', '--max-age', '1h']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await readFile(join(d, '..', 'h2', 'app.conf'), 'utf8')).toContain('user=app');
  }, 120_000);

  it('keeps a vaulted value out of the plan file, its review and the apply output; the host gets it', async () => {
    const d = await fresh('vaulted');
    const VAULTED = 'Heron-Marble-5521';
    await mkdir(join(d, 'group_vars'), { recursive: true });
    await writeFile(join(d, 'group_vars', 'all.yml'), encryptVault(`api_token: ${VAULTED}\n`, 'open sesame'));
    await writeFile(join(d, '..', 'pw'), 'open sesame\n');
    await writeFile(join(d, 'site.yml'), PLAYBOOK.replace('user=app', 'token={{ api_token }}'));
    const p = await plan(d, ['--vault-password-file', '../pw', '--diff']);
    expect(p.code, p.stderr).toBe(0);
    const file = await readFile(join(d, 'change.fpplan'), 'utf8');
    expect(file).not.toContain(VAULTED);
    expect(file).not.toContain(SECRET);
    const shown = await run(d, ['show', 'change.fpplan']);
    expect(shown.stdout).not.toContain(VAULTED);
    const a = await run(d, ['apply', 'change.fpplan', '--vault-password-file', '../pw']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout + a.stderr).not.toContain(VAULTED);
    expect(await readFile(join(d, '..', 'h1', 'app.conf'), 'utf8')).toContain(`token=${VAULTED}`);
  }, 120_000);
});
