// What `npm pack` (and so `npm publish`) ships: the product only — its bin, the built CLI, schemas,
// playbooks, example inventories and README — and nothing of the lab, the tests or the tools.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('npm pack', () => {
  it('lists the product and no lab file', async () => {
    // --ignore-scripts: the listing, not a build (`prepare` would rebuild dist/).
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, maxBuffer: 16 * 2 ** 20 });
    const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    const lab = files.filter((f) => f.startsWith('packages/') || /(^|\/)lab\//.test(f) || f.includes('@fleetplay/lab') || /supervisor-main|server-main|serve-main|mlnxofedinstall|installer\.sh|POWERSHELL\.md/.test(f));
    expect(lab).toEqual([]);
    expect(files.filter((f) => /^(src|test|bench|scripts|node_modules)\//.test(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/fleetplay.js', 'playbooks/infiniband.yml', 'playbooks/gpu-partitioning.yml', 'inventories/azure-hpc.yml', 'schemas/playbook.json']));
    // The built CLI ships when there is one (npm ci builds it; a bare checkout has none yet).
    if (existsSync(`${ROOT}dist/fleetplay.mjs`)) expect(files).toContain('dist/fleetplay.mjs');
    expect(files.filter((f) => f.startsWith('dist/') && f !== 'dist/fleetplay.mjs')).toEqual([]);
  });

  it('`npx fleetplay` in a checkout runs the package\'s own CLI, as the README says', async () => {
    const { version } = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')) as { version: string };
    const { stdout } = await run('npx', ['--no-install', 'fleetplay', '--version'], { cwd: ROOT });
    expect(stdout.trim()).toBe(version);
  });
});
