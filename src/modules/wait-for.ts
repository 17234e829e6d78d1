// wait_for: waits for a file or a TCP port on the host to appear or go away. The polling loop runs ON
// the host (one round trip, however long the wait); it only looks, so it runs in check mode too.
// Ports are probed with bash's /dev/tcp (bash is on every Ubuntu/RHEL/SLES image), falling back to
// `nc -z`; a host with neither gets a clear error.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';

const num = (description: string) => Type.Optional(Type.Number({ minimum: 0, description }));
const schema = Type.Object(
  {
    path: Type.Optional(Type.String({ description: 'Wait for this file to exist (or, with state absent, to be gone).' })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Wait for this TCP port to accept connections (or stop).' })),
    host: Type.Optional(Type.String({ description: 'Address to probe the port at, seen from the host (default 127.0.0.1).' })),
    state: Type.Optional(
      Type.Union([Type.Literal('started'), Type.Literal('present'), Type.Literal('stopped'), Type.Literal('absent')], {
        description: 'started/present (default) or stopped/absent.',
      }),
    ),
    search_regex: Type.Optional(Type.String({ description: 'With path: also wait until the file contains a match (POSIX extended regex).' })),
    timeout: num('Seconds to wait in total (default 300).'),
    delay: num('Seconds to wait before the first check (default 0).'),
    sleep: num('Seconds between checks (default 1).'),
    connect_timeout: num('Seconds allowed for one port probe (default 5).'),
    msg: Type.Optional(Type.String({ description: 'Message on timeout instead of the default one.' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  outcome: 'done' | 'timeout';
  elapsed: number;
}

const wantsGone = (a: Args) => a.state === 'stopped' || a.state === 'absent';

export function waitScript(a: Args): string {
  const timeout = Math.ceil(a.timeout ?? 300);
  const lines = [`end=$(( $(date +%s) + ${timeout} ))`];
  if (a.delay) lines.push(`sleep ${a.delay}`);
  let probe: string;
  if (a.path !== undefined) {
    const p = shQuote(a.path);
    probe = wantsGone(a)
      ? `[ ! -e ${p} ]`
      : a.search_regex !== undefined
        ? `grep -E -q -- ${shQuote(a.search_regex)} ${p} 2>/dev/null`
        : `[ -e ${p} ]`;
  } else if (a.port !== undefined) {
    const ct = Math.max(1, Math.ceil(a.connect_timeout ?? 5));
    const hp = `${shQuote(a.host ?? '127.0.0.1')} ${a.port}`;
    lines.push(
      'port_open() {',
      '  if command -v bash >/dev/null 2>&1; then',
      `    if command -v timeout >/dev/null 2>&1; then timeout ${ct} bash -c ': <"/dev/tcp/$0/$1"' ${hp} 2>/dev/null`,
      `    else bash -c ': <"/dev/tcp/$0/$1"' ${hp} 2>/dev/null; fi`,
      `  elif command -v nc >/dev/null 2>&1; then nc -z -w ${ct} ${hp} 2>/dev/null`,
      "  else echo 'wait_for: probing a port needs bash or nc on the host' >&2; exit 3; fi",
      '}',
    );
    probe = wantsGone(a) ? '! port_open' : 'port_open';
  } else {
    // Neither path nor port: just wait, as Ansible does.
    lines.push(`sleep ${timeout}`);
    return [...lines, "echo '@done'"].join('\n');
  }
  lines.push(
    'while :; do',
    `  if ${probe}; then echo '@done'; exit 0; fi`,
    `  if [ "$(date +%s)" -ge "$end" ]; then echo '@timeout'; exit 0; fi`,
    `  sleep ${a.sleep ?? 1}`,
    'done',
  );
  return lines.join('\n');
}

function timeoutMessage(a: Args): string {
  if (a.msg) return a.msg;
  if (a.path !== undefined) {
    if (wantsGone(a)) return `Timeout when waiting for ${a.path} to be absent.`;
    if (a.search_regex !== undefined) return `Timeout when waiting for search string ${a.search_regex} in ${a.path}`;
    return `Timeout when waiting for file ${a.path}`;
  }
  const where = `${a.host ?? '127.0.0.1'}:${a.port}`;
  return wantsGone(a) ? `Timeout when waiting for ${where} to stop.` : `Timeout when waiting for ${where}`;
}

export const waitFor: Module<Args, Current, never> = {
  meta: {
    name: 'wait_for',
    description: 'Wait until a file or TCP port on the host appears (or goes away), with a timeout.',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'wait_for:\n  port: 22\n  timeout: 60',
    returns: {
      elapsed: 'Seconds waited.',
      state: 'The state waited for.',
      path: 'The path waited on.',
      port: 'The port waited on.',
    },
  },
  schema,
  async read(ctx, args) {
    if (args.path !== undefined && args.port !== undefined) throw new Error('parameters are mutually exclusive: path|port');
    const started = Date.now();
    const budgetMs = ((args.timeout ?? 300) + (args.delay ?? 0) + 30) * 1000;
    const r = await ctx.run(waitScript(args), { timeoutMs: budgetMs });
    const elapsed = Math.round((Date.now() - started) / 1000);
    if (r.stdout.includes('@done')) return { outcome: 'done', elapsed };
    if (r.stdout.includes('@timeout')) return { outcome: 'timeout', elapsed };
    throw new Error(r.stderr.trim() || `wait_for: the probe ended unexpectedly (exit code ${r.rc})`);
  },
  plan(args, cur) {
    const result: Record<string, unknown> = { elapsed: cur.elapsed, state: args.state ?? 'started' };
    if (args.path !== undefined) result.path = args.path;
    if (args.port !== undefined) result.port = args.port;
    if (cur.outcome === 'timeout') return { changes: [], failed: timeoutMessage(args), result };
    return { changes: [], reason: `condition met after ${cur.elapsed}s`, result };
  },
  async apply() {
    return { changed: false };
  },
};
