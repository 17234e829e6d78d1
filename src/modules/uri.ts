// uri: an HTTP request made from the host (curl), with Ansible's result: status, content when asked,
// json when the answer is JSON, and a failure when the status is not one of status_code. GET and HEAD
// only read, so they run at read time and in check mode too; other methods are the plan's one change.
// Like Ansible, uri never reports changed by itself. Headers and body reach curl on stdin (a config
// file), never on a command line, and are not echoed back.
import Type, { type Static } from 'typebox';
import type { HostContext, Module } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';

const schema = Type.Object(
  {
    url: Type.String({ description: 'The URL.' }),
    method: Type.Optional(Type.String({ description: 'GET (default), POST, PUT, DELETE, PATCH, HEAD, ...' })),
    body: Type.Optional(Type.Unknown({ description: 'The request body; an object or list with body_format json.' })),
    body_format: Type.Optional(Type.Union([Type.Literal('raw'), Type.Literal('json'), Type.Literal('form-urlencoded')], { description: 'raw (default), json or form-urlencoded.' })),
    headers: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), { description: 'Request headers.' })),
    status_code: Type.Optional(Type.Union([Type.Integer(), Type.Array(Type.Integer())], { description: 'Statuses that mean success (default 200).' })),
    return_content: Type.Optional(Type.Boolean({ description: 'Return the body as `content` (JSON bodies are always parsed into `json`).' })),
    timeout: Type.Optional(Type.Integer({ minimum: 1, description: 'Seconds for the whole request (default 30).' })),
    validate_certs: Type.Optional(Type.Boolean({ description: 'Check the server’s TLS certificate (default true).' })),
    follow_redirects: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('safe'), Type.Literal('none'), Type.Literal('no'), Type.Literal('yes')], { description: "safe (default: GET/HEAD only), all, or none." })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export interface Response {
  status: number;
  contentType: string;
  url: string;
  body: string;
  error?: string;
}

interface Request {
  url: string;
  method: string;
  config: string;
  /** Statuses that mean success. */
  want: number[];
  returnContent: boolean;
}

interface Current {
  response?: Response;
  request: Request;
}

const MARK = '@@fleetplay-uri@@';
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;

/** Pure: the curl config (one option a line) for a task's request. */
export function curlRequestConfig(args: Args): string {
  const method = (args.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = Object.fromEntries(Object.entries(args.headers ?? {}).map(([k, v]) => [k, String(v)]));
  const has = (h: string) => Object.keys(headers).some((k) => k.toLowerCase() === h);
  let body: string | undefined;
  if (args.body !== undefined) {
    if (args.body_format === 'json') {
      body = typeof args.body === 'string' ? args.body : JSON.stringify(args.body);
      if (!has('content-type')) headers['Content-Type'] = 'application/json';
    } else if (args.body_format === 'form-urlencoded' && typeof args.body === 'object' && args.body !== null) {
      body = new URLSearchParams(Object.entries(args.body as Record<string, unknown>).map(([k, v]) => [k, String(v)])).toString();
      if (!has('content-type')) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else body = typeof args.body === 'string' ? args.body : JSON.stringify(args.body);
  }
  const follow = args.follow_redirects ?? 'safe';
  const redirects = follow === 'all' || follow === 'yes' || (follow === 'safe' && (method === 'GET' || method === 'HEAD'));
  return [
    `request = ${quote(method)}`,
    ...(method === 'HEAD' ? ['head'] : []),
    ...Object.entries(headers).map(([k, v]) => `header = ${quote(`${k}: ${v}`)}`),
    ...(body !== undefined ? [`data-binary = ${quote(body)}`] : []),
    ...(redirects ? ['location'] : []),
    ...(args.validate_certs === false ? ['insecure'] : []),
    `max-time = ${args.timeout ?? 30}`,
  ].join('\n');
}

/** Pure: curl's output (body, then our -w line) → the response. */
export function parseCurlOutput(stdout: string): Omit<Response, 'error'> | undefined {
  const at = stdout.lastIndexOf(`\n${MARK} `);
  if (at < 0) return undefined;
  const [status = '0', contentType = '', url = ''] = stdout.slice(at + MARK.length + 2).replace(/\n$/, '').split('\t');
  return { status: Number(status), contentType, url, body: stdout.slice(0, at) };
}

async function send(ctx: HostContext, req: Request): Promise<Response> {
  const r = await ctx.run(`curl -sS -K - -w ${shQuote(`\n${MARK} %{http_code}\t%{content_type}\t%{url_effective}`)} -- ${shQuote(req.url)}`, { stdin: req.config });
  const got = parseCurlOutput(r.stdout);
  if (r.rc !== 0 || !got) return { status: -1, contentType: '', url: req.url, body: '', error: `Request failed: ${r.stderr.trim() || `curl exit code ${r.rc}`}` };
  return got;
}

function outcome(req: Request, res: Response): { result: Record<string, unknown>; failed?: string } {
  const { want } = req;
  const result: Record<string, unknown> = { status: res.status, url: res.url, content_type: res.contentType, msg: res.error ?? `OK (${Buffer.byteLength(res.body)} bytes)` };
  if (req.returnContent) result.content = res.body;
  if (/[/+]json\b/.test(res.contentType)) {
    try {
      result.json = JSON.parse(res.body);
    } catch {
      // not JSON after all: content (when asked) still has it
    }
  }
  if (!want.includes(res.status)) return { result, failed: `Status code was ${res.status} and not [${want.join(', ')}]: ${res.error ?? `HTTP ${res.status}`}` };
  return { result };
}

const READS = new Set(['GET', 'HEAD']);

export const uri: Module<Args, Current, Request> = {
  meta: {
    name: 'uri',
    description: 'Make an HTTP request from the host (curl) and check its status; JSON answers are parsed into `json`.',
    platforms: ['linux'],
    checkMode: 'full',
    verify: 'none',
    example: "uri:\n  url: http://169.254.169.254/metadata/instance?api-version=2021-02-01\n  headers:\n    Metadata: 'true'\n  return_content: true",
    returns: { status: 'The HTTP status (-1 when no answer).', json: 'The parsed body, when it is JSON.', content: 'return_content: the body.', url: 'The final URL.', msg: "'OK (<n> bytes)' or the error." },
  },
  schema,
  async read(ctx, args) {
    const want = args.status_code === undefined ? [200] : Array.isArray(args.status_code) ? args.status_code : [args.status_code];
    const request: Request = { url: args.url, method: (args.method ?? 'GET').toUpperCase(), config: curlRequestConfig(args), want, returnContent: args.return_content === true };
    return READS.has(request.method) ? { request, response: await send(ctx, request) } : { request };
  },
  plan(args, cur) {
    if (cur.response) {
      const o = outcome(cur.request, cur.response);
      return o.failed ? { changes: [], failed: o.failed, result: o.result } : { changes: [], reason: `${cur.request.method} ${args.url}: ${cur.response.status}`, result: o.result };
    }
    return { changes: [cur.request], reason: `${cur.request.method} ${args.url}` };
  },
  async apply(ctx, plan) {
    const req = plan.changes[0]!;
    const o = outcome(req, await send(ctx, req));
    return o.failed ? { failed: o.failed, result: o.result } : { changed: false, result: o.result };
  },
};
