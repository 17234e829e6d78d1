// uri against a real HTTP server on loopback, with the machine's curl as the host's.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curlRequestConfig, parseCurlOutput, uri } from '../../src/modules/uri.js';
import { runModule } from '../support/module-host.js';

let server: Server;
let base: string;
const posts: Array<{ type?: string; body: string; token?: string }> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/meta') return res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"compute":{"vmSize":"Standard_HB120rs_v3"}}');
      if (req.url === '/jobs' && req.method === 'POST') {
        posts.push({ type: req.headers['content-type'], body, token: req.headers['x-token'] as string | undefined });
        return res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":7}');
      }
      if (req.url === '/old') return res.writeHead(301, { location: '/meta' }).end();
      res.writeHead(404, { 'content-type': 'text/plain' }).end('nope\n');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('uri (pure)', () => {
  it('builds a curl config with a JSON body and quoted headers', () => {
    expect(curlRequestConfig({ url: 'x', method: 'post', body: { a: 'b"c' }, body_format: 'json', headers: { 'X-Token': 't' } })).toBe(
      ['request = "POST"', 'header = "X-Token: t"', 'header = "Content-Type: application/json"', 'data-binary = "{\\"a\\":\\"b\\\\\\"c\\"}"', 'max-time = 30'].join('\n'),
    );
    expect(parseCurlOutput('body\n@@fleetplay-uri@@ 200\ttext/plain; charset=utf-8\thttp://x/')).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', url: 'http://x/', body: 'body' });
  });
});

describe('uri with curl on this machine', () => {
  it('GET parses JSON, follows redirects, and runs in check mode too', async () => {
    for (const check of [true, false]) {
      const r = await runModule(uri, { url: `${base}/old`, return_content: true }, { check });
      expect(r.status).toBe('ok');
      expect(r.plan.result).toMatchObject({ status: 200, url: `${base}/meta`, json: { compute: { vmSize: 'Standard_HB120rs_v3' } } });
    }
  });

  it('a status outside status_code fails, naming it; inside it is fine', async () => {
    expect((await runModule(uri, { url: `${base}/missing` })).msg).toBe('Status code was 404 and not [200]: HTTP 404');
    expect((await runModule(uri, { url: `${base}/missing`, status_code: [200, 404] })).status).toBe('ok');
    expect((await runModule(uri, { url: 'http://127.0.0.1:1/' })).msg).toMatch(/^Status code was -1 and not \[200\]: Request failed: curl: \(7\)/);
  });

  it('POST is the planned change: check mode sends nothing, a run sends the JSON body with its headers', async () => {
    const args = { url: `${base}/jobs`, method: 'POST', body: { nodes: 4 }, body_format: 'json', headers: { 'X-Token': 'k' }, status_code: 201 } as const;
    expect((await runModule(uri, args, { check: true })).status).toBe('changed');
    expect(posts).toEqual([]);
    const r = await runModule(uri, args);
    expect([r.status, r.applied?.result?.json]).toEqual(['ok', { id: 7 }]);
    expect(posts).toEqual([{ type: 'application/json', body: '{"nodes":4}', token: 'k' }]);
  });
});
