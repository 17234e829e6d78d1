// `fleetplay lab` as the product sees the lab: a package loaded by name at run time. Without it (an
// installed product) the command says so and exits 5; `lab down` where no lab runs is not an error.
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as labPackage from '@fleetplay/lab';
import type { LabApi } from '../../src/cli/lab-api.js';
import { loadLab } from '../../src/cli/lab.js';
import { UsageError } from '../../src/engine/contract/diagnostics.js';
import { fleetplay } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'fleetplay-lab-cli-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('fleetplay lab and the lab package', () => {
  it('the lab package provides what the CLI uses of it', async () => {
    // Type-checked: the CLI declares its own view of the lab (it must not import the lab's types).
    const api: LabApi = labPackage;
    expect(await loadLab()).toMatchObject({ labUp: api.labUp, labDown: api.labDown, labStatus: api.labStatus, readLabInfo: api.readLabInfo });
  });

  it('a lab package that is not installed is a usage error that says what the lab is', async () => {
    const err = await loadLab('@fleetplay/not-installed-lab').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/^the lab is not installed: '@fleetplay\/not-installed-lab' is a development package of fleetplay's repository \(packages\/lab\)/);
  });

  it('lab down where no lab runs: exit 0, "no lab running", twice', async () => {
    const dir = join(scratch, 'never-started');
    for (let i = 0; i < 2; i++) {
      const r = await fleetplay(['lab', 'down', '--dir', dir]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`no lab running in ${dir}\n`);
      expect(r.stderr).toBe('');
    }
  });

  it('without the lab package (the product as installed), every lab command exits 5 saying so', async () => {
    // The product's own files and its dependencies, but not the workspace package.
    const product = join(scratch, 'product');
    await mkdir(join(product, 'node_modules'), { recursive: true });
    for (const p of ['bin', 'src', 'package.json']) await cp(join(ROOT, p), join(product, p), { recursive: true });
    for (const name of await readdir(join(ROOT, 'node_modules'))) {
      if (name !== '@fleetplay') await symlink(join(ROOT, 'node_modules', name), join(product, 'node_modules', name));
    }
    for (const args of [['lab', 'up', '--dir', join(scratch, 'x')], ['lab', 'down'], ['lab', 'status']]) {
      const r = await fleetplay(args, { cwd: scratch, bin: join(product, 'bin', 'fleetplay.js') });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(5);
      expect(r.stderr).toMatch(/^fleetplay: the lab is not installed: '@fleetplay\/lab' is a development package of fleetplay's repository \(packages\/lab\), not part of the installed product/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
