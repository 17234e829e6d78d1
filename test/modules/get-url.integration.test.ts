// get_url's parsers, and the module against a real HTTP server on loopback with the machine's curl.
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findChecksum, getUrl, parseChecksum, urlFileName } from '../../src/modules/get-url.js';
import { runModule, tempDir } from '../support/module-host.js';

const BODY = Buffer.from('MLNX_OFED tarball stand-in\n');
const SHA = createHash('sha256').update(BODY).digest('hex');
let server: Server;
let base: string;
let gets = 0;
let lastAuth: string | undefined;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/SHA256SUMS') return res.end(`${'0'.repeat(64)}  other.tgz\n${SHA}  mofed.tgz\n`);
    if (req.url !== '/files/mofed.tgz') return res.writeHead(404).end('no');
    gets++;
    lastAuth = req.headers.authorization;
    res.end(BODY);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  gets = 0;
});
afterEach(async () => cleanup());

describe('get_url parsing (pure)', () => {
  it('reads checksum arguments and checksum files', () => {
    expect(parseChecksum(`sha256:${SHA.toUpperCase()}`)).toEqual({ algo: 'sha256', hex: SHA });
    expect(parseChecksum('sha512:https://m/SHA512SUMS')).toEqual({ algo: 'sha512', url: 'https://m/SHA512SUMS' });
    expect(parseChecksum('sha256:abc').error).toBe('The checksum format is invalid: not a sha256 digest (64 hex digits)');
    expect(parseChecksum('crc32:abc').error).toMatch(/^The checksum parameter has to be in format <algorithm>:<checksum value>/);
    expect(findChecksum(`${SHA} *./dir/mofed.tgz\n`, 'mofed.tgz')).toBe(SHA);
    expect(findChecksum(`${SHA}\n`, 'anything')).toBe(SHA);
    expect(findChecksum(`${SHA}  other\n${SHA}  more\n`, 'mofed.tgz')).toBeUndefined();
    expect(urlFileName('https://m/a/b/MLNX.tgz?x=1')).toBe('MLNX.tgz');
  });
});

describe('get_url with curl on this machine', () => {
  it('downloads into a directory dest with a checksum URL, sends headers, and is idempotent by checksum', async () => {
    const args = { url: `${base}/files/mofed.tgz`, dest: dir, checksum: `sha256:${base}/SHA256SUMS`, headers: { Authorization: 'Bearer s3cret' }, mode: '0640' };
    const dry = await runModule(getUrl, args, { check: true });
    expect([dry.status, dry.msg, gets]).toEqual(["changed", undefined, 0]);
    const r = await runModule(getUrl, args);
    expect(r.status).toBe('changed');
    expect(r.applied?.result).toMatchObject({ dest: join(dir, 'mofed.tgz'), status_code: 200, checksum_dest: SHA, msg: `OK (${BODY.length} bytes)` });
    // What is reported (result, diff, reason) never holds the header values.
    expect(JSON.stringify([r.applied?.result, r.plan.result, r.plan.diff, r.plan.reason])).not.toContain('s3cret');
    expect(lastAuth).toBe('Bearer s3cret');
    expect(await readFile(join(dir, 'mofed.tgz'))).toEqual(BODY);
    expect((await stat(join(dir, 'mofed.tgz'))).mode & 0o777).toBe(0o640);
    expect((await runModule(getUrl, args)).status).toBe('ok');
    expect(gets).toBe(1);
  });

  it('replaces a dest that does not match, keeps one without checksum unless force', async () => {
    const dest = join(dir, 'f.tgz');
    await writeFile(dest, 'old');
    expect((await runModule(getUrl, { url: `${base}/files/mofed.tgz`, dest })).status).toBe('ok');
    expect((await runModule(getUrl, { url: `${base}/files/mofed.tgz`, dest, checksum: `sha256:${SHA}` })).status).toBe('changed');
    expect(await readFile(dest)).toEqual(BODY);
    // force with identical content downloads but changes nothing.
    expect((await runModule(getUrl, { url: `${base}/files/mofed.tgz`, dest, force: true })).status).toBe('ok');
    expect(gets).toBe(2);
  });

  it('fails clearly on a wrong checksum and on a 404, leaving no file behind', async () => {
    const dest = join(dir, 'f.tgz');
    const bad = await runModule(getUrl, { url: `${base}/files/mofed.tgz`, dest, checksum: `sha256:${'1'.repeat(64)}` });
    expect(bad.msg).toBe(`The checksum for ${dest} did not match ${'1'.repeat(64)}; it was ${SHA}.`);
    const missing = await runModule(getUrl, { url: `${base}/nope.tgz`, dest });
    expect(missing.msg).toMatch(new RegExp(`^Request failed for ${base}/nope.tgz: .*404`));
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir)).toEqual([]);
  });
});
