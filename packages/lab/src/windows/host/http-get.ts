// HTTP GET for the lab host's Invoke-WebRequest. The interpreter is synchronous, so the request runs
// in a short-lived child Node process and the host waits for it (the server must therefore not live
// in the same process as the host, which holds in the lab: the mirror and each host are processes of
// their own). Only the lab network is reachable: loopback and 198.18.0.0/15; any other name or
// address fails the way a host without internet access does.

import { spawnSync } from 'node:child_process';
import { isIP } from 'node:net';

export type HttpGetResult =
  | { ok: true; status: number; statusText: string; headers: Record<string, string>; body: Buffer }
  | { ok: false; kind: 'dns' | 'connect' | 'timeout' | 'status' | 'protocol'; message: string; status?: number; statusText?: string; body?: string };

/** The child: follows up to `maxRedirects` same-host redirects; body on stdout, a JSON status on stderr. */
const CHILD = String.raw`
const http = require('node:http');
const [first, timeoutMs, maxRedirects] = process.argv.slice(1);
const fail = (o) => { process.stderr.write(JSON.stringify(o)); process.exit(3); };
const get = (url, left) => {
  const req = http.get(url, { timeout: Number(timeoutMs) }, (res) => {
    if ([301, 302, 303, 307, 308].includes(res.statusCode) && res.headers.location) {
      res.resume();
      if (left <= 0) return fail({ kind: 'protocol', message: 'Too many automatic redirections were attempted.' });
      const next = new URL(res.headers.location, url);
      // Stay on the lab host that was checked: no redirect to another scheme or host.
      if (next.protocol !== 'http:' || next.host !== new URL(url).host) return fail({ kind: 'connect', message: 'redirect to ' + next.href });
      return get(next.href, left - 1);
    }
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => {
      const body = Buffer.concat(chunks);
      if (res.statusCode >= 400) return fail({ kind: 'status', status: res.statusCode, statusText: res.statusMessage, body: body.toString('utf8', 0, 4096) });
      process.stderr.write(JSON.stringify({ status: res.statusCode, statusText: res.statusMessage, headers: res.headers }));
      process.stdout.write(body, () => process.exit(0));
    });
  });
  req.on('timeout', () => { req.destroy(); fail({ kind: 'timeout' }); });
  req.on('error', (e) => fail({ kind: e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? 'dns' : 'connect', message: e.message }));
};
get(first, Number(maxRedirects));
`;

/** Loopback and the lab range 198.18.0.0/15: the only places a lab host can reach. */
export function inLabNetwork(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) !== 4) return false;
  const [a, b] = h.split('.').map(Number) as [number, number];
  return a === 127 || (a === 198 && (b === 18 || b === 19));
}

export function httpGet(url: URL, timeoutSec: number, maxRedirects: number): HttpGetResult {
  if (!inLabNetwork(url.hostname)) {
    return isIP(url.hostname.replace(/^\[|\]$/g, ''))
      ? { ok: false, kind: 'connect', message: 'outside the lab network' }
      : { ok: false, kind: 'dns', message: 'no DNS in the lab' };
  }
  const timeoutMs = Math.max(1, timeoutSec) * 1000;
  const r = spawnSync(process.execPath, ['-e', CHILD, url.href, String(timeoutMs), String(maxRedirects)], {
    timeout: timeoutMs + 5000,
    maxBuffer: 4 * 1024 ** 3,
    env: {},
  });
  let meta: Record<string, unknown> = {};
  try {
    meta = JSON.parse(r.stderr.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    meta = { kind: 'connect', message: r.stderr.toString('utf8') };
  }
  if (r.error || r.status === null) return { ok: false, kind: 'timeout', message: String(r.error ?? 'killed') };
  if (r.status !== 0) {
    return { ok: false, kind: (meta.kind as 'dns') ?? 'connect', message: String(meta.message ?? ''), status: meta.status as number | undefined, statusText: meta.statusText as string | undefined, body: meta.body as string | undefined };
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((meta.headers as Record<string, unknown>) ?? {})) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
  return { ok: true, status: Number(meta.status), statusText: String(meta.statusText ?? ''), headers, body: r.stdout };
}
