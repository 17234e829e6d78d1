import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMofedMirror, type MirrorInfo } from '../src/mofed/mirror.js';
import { serveMirror } from '../src/mofed/serve.js';
import { tarballUrl } from '../../../src/modules/lib/mofed.js';

const run = promisify(execFile);
let dir: string;
let mirror: MirrorInfo;
let url: string;
let close: () => void;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mofed-mirror-test-'));
  mirror = await buildMofedMirror(join(dir, 'mirror'), ['ubuntu22.04', 'rhel8.6'], ['5.8-3.0.7.0']);
  const served = await serveMirror(mirror.root, '127.0.0.1', 0);
  url = served.url;
  close = () => served.server.close();
});
afterAll(async () => {
  close?.();
  await rm(dir, { recursive: true, force: true });
});

describe('lab MOFED mirror', () => {
  it('serves tarballs at the real URL layout with published checksums', async () => {
    const res = await fetch(tarballUrl(url, '5.8-3.0.7.0', 'ubuntu22.04', 'x86_64'));
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    const hex = createHash('sha256').update(body).digest('hex');
    expect(hex).toBe(mirror.checksums['5.8-3.0.7.0']!['ubuntu22.04']);
    const sums = await readFile(join(mirror.root, 'MLNX_OFED-5.8-3.0.7.0', 'SHA256SUMS'), 'utf8');
    expect(sums).toContain(`${hex}  MLNX_OFED_LINUX-5.8-3.0.7.0-ubuntu22.04-x86_64.tgz`);
  });

  it('answers 404 for missing versions and refuses paths outside the root', async () => {
    expect((await fetch(tarballUrl(url, '9.9-9.9.9.9', 'ubuntu22.04', 'x86_64'))).status).toBe(404);
    expect((await fetch(`${url}/../../etc/passwd`)).status).toBe(404);
  });

  it('packs one top folder named like the tarball, holding an executable installer', async () => {
    const tgz = join(mirror.root, 'MLNX_OFED-5.8-3.0.7.0', 'MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.6-x86_64.tgz');
    const { stdout } = await run('tar', ['tzvf', tgz]);
    expect(stdout).toMatch(/^-rwxr-xr-x .* MLNX_OFED_LINUX-5\.8-3\.0\.7\.0-rhel8\.6-x86_64\/mlnxofedinstall$/m);
    expect(stdout.split('\n').filter(Boolean).every((l) => l.includes(' MLNX_OFED_LINUX-5.8-3.0.7.0-rhel8.6-x86_64/'))).toBe(true);
  });

  it('builds byte-identical tarballs twice (stable checksums)', async () => {
    const again = await buildMofedMirror(join(dir, 'mirror2'), ['ubuntu22.04', 'rhel8.6'], ['5.8-3.0.7.0']);
    expect(again.checksums).toEqual(mirror.checksums);
  });

  it('rejects unknown flags and a mismatched --distro with exit 22, before touching anything', async () => {
    const x = join(dir, 'x');
    const tgz = join(mirror.root, 'MLNX_OFED-5.8-3.0.7.0', 'MLNX_OFED_LINUX-5.8-3.0.7.0-ubuntu22.04-x86_64.tgz');
    await run('mkdir', ['-p', x]);
    await run('tar', ['xzf', tgz, '-C', x]);
    const installer = join(x, 'MLNX_OFED_LINUX-5.8-3.0.7.0-ubuntu22.04-x86_64', 'mlnxofedinstall');
    const code = async (args: string[]) => run(installer, args).then(() => 0, (e: { code: number }) => e.code);
    expect(await code(['--bogus'])).toBe(22);
    expect(await code(['--distro', 'rhel8.6'])).toBe(22);
  });
});
