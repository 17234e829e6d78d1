// get_url: downloads a URL on the host itself (curl, else wget) into a temp file beside dest, checks
// it against checksum, and renames it over dest, so dest is never half-written. Idempotent by checksum:
// with one, a dest that matches is left alone (a `sha256:<url>` checksum is looked up in that file
// by the URL's file name); without one, an existing dest is kept unless force. Check mode never
// downloads. Headers (often credentials) go to curl on stdin, never on a command line or in output.
import { posix } from 'node:path';
import Type, { type Static } from 'typebox';
import type { FileStat } from '../engine/contract/connection.js';
import type { Module } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';
import { AttrProperties, type AttrWant, applyAttrs, attrChanges, wantedAttrs } from './lib/file-attrs.js';

const schema = Type.Object(
  {
    url: Type.String({ description: 'http, https or ftp URL.' }),
    dest: Type.String({ description: 'The file to write, or a directory to put the URL’s file name in.' }),
    checksum: Type.Optional(Type.String({ description: "'sha256:<hex>', 'sha512:<hex>' (also sha1, sha384, md5), or '<algo>:<URL of a checksums file>'." })),
    force: Type.Optional(Type.Boolean({ description: 'Download even when dest exists (and replace it when the content differs).' })),
    headers: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), { description: 'HTTP request headers.' })),
    timeout: Type.Optional(Type.Integer({ minimum: 1, description: 'Seconds to connect, and without progress, before giving up (default 10).' })),
    validate_certs: Type.Optional(Type.Boolean({ description: 'Check the server’s TLS certificate (default true).' })),
    ...AttrProperties,
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

const ALGOS: Record<string, string> = { sha1: 'sha1sum', sha224: 'sha224sum', sha256: 'sha256sum', sha384: 'sha384sum', sha512: 'sha512sum', md5: 'md5sum' };
const HEX_LEN: Record<string, number> = { sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128, md5: 32 };

interface Current {
  dest: string;
  stat?: FileStat;
  /** dest's digest with the checksum's algorithm, when dest is a file and a checksum was given. */
  destSum?: string;
  /** The expected digest: given inline, or found in the checksum URL's file. */
  want?: { algo: string; hex: string };
  error?: string;
}

interface Change {
  kind: 'download' | 'attrs';
  url: string;
  dest: string;
  want?: { algo: string; hex: string };
  attrs: AttrWant;
  headers: Record<string, string>;
  timeout: number;
  insecure: boolean;
  /** The digest dest had before (force without checksum: unchanged content means unchanged). */
  before?: string;
}

/** The file name a URL names (for a directory dest). */
export function urlFileName(url: string): string {
  try {
    return posix.basename(new URL(url).pathname) || 'index.html';
  } catch {
    return 'index.html';
  }
}

/** Pure: a checksum argument → algorithm and (inline) hex or a URL to look it up in. */
export function parseChecksum(spec: string): { algo: string; hex?: string; url?: string; error?: string } {
  const i = spec.indexOf(':');
  const algo = i > 0 ? spec.slice(0, i).toLowerCase() : '';
  const rest = i > 0 ? spec.slice(i + 1).trim() : '';
  if (!ALGOS[algo]) return { algo, error: `The checksum parameter has to be in format <algorithm>:<checksum value> (algorithms: ${Object.keys(ALGOS).join(', ')})` };
  if (/^(https?|ftp|file):\/\//.test(rest)) return { algo, url: rest };
  if (!new RegExp(`^[0-9a-fA-F]{${HEX_LEN[algo]}}$`).test(rest)) return { algo, error: `The checksum format is invalid: not a ${algo} digest (${HEX_LEN[algo]} hex digits)` };
  return { algo, hex: rest.toLowerCase() };
}

/** Pure: the digest for `name` in a checksums file (`<hex>  name`, `<hex> *name`, or a lone digest). */
export function findChecksum(text: string, name: string): string | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  for (const l of lines) {
    const m = /^([0-9a-fA-F]+)\s+\*?(?:\.\/)?(.+)$/.exec(l);
    if (m && posix.basename(m[2]!) === name) return m[1]!.toLowerCase();
  }
  if (lines.length === 1 && /^[0-9a-fA-F]+$/.test(lines[0]!)) return lines[0]!.toLowerCase();
  return undefined;
}

const curlConfig = (c: Pick<Change, 'headers' | 'timeout' | 'insecure'>) =>
  [
    ...Object.entries(c.headers).map(([k, v]) => `header = ${JSON.stringify(`${k}: ${v}`)}`),
    `connect-timeout = ${c.timeout}`,
    `speed-time = ${c.timeout}`,
    'speed-limit = 1',
    ...(c.insecure ? ['insecure'] : []),
  ].join('\n');

/** sh that fetches $url into $out with curl (config on stdin), else wget; prints the HTTP status. */
const FETCH = `if command -v curl >/dev/null 2>&1; then
  curl -sS -L --fail -K - -o "$out" -w '%{http_code}' -- "$url"
else
  wget -q -T "$timeout" -O "$out" -- "$url" && echo 200
fi`;

/** The same, printing the body (a checksums file) instead. */
const FETCH_TO_STDOUT = `if command -v curl >/dev/null 2>&1; then curl -sS -L --fail -K - -- "$url"; else wget -q -T "$timeout" -O - -- "$url"; fi`;

export const getUrl: Module<Args, Current, Change> = {
  meta: {
    name: 'get_url',
    description: 'Download a file on the host from HTTP/HTTPS/FTP, checked against a checksum, written atomically.',
    platforms: ['linux'],
    checkMode: 'full',
    example: "get_url:\n  url: https://mirror.example/MLNX_OFED.tgz\n  dest: /tmp/mofed.tgz\n  checksum: 'sha256:https://mirror.example/SHA256SUMS'",
    returns: { dest: 'The file written.', url: 'The URL.', checksum_dest: 'Its digest (the checksum algorithm, else sha1).', status_code: 'The HTTP status of the download.', msg: "'OK (<n> bytes)' or why nothing was downloaded." },
  },
  schema,
  async read(ctx, args) {
    let dest = args.dest;
    let stat = await ctx.stat(dest);
    if (stat.type === 'directory') {
      dest = posix.join(dest, urlFileName(args.url));
      stat = await ctx.stat(dest);
    }
    const cur: Current = { dest, ...(stat.exists ? { stat } : {}) };
    if (!args.checksum) {
      if (stat.type === 'file' && args.force) cur.destSum = (await ctx.run(`sha1sum -- ${shQuote(dest)}`)).stdout.split(/\s/)[0];
      return cur;
    }
    const spec = parseChecksum(args.checksum);
    if (spec.error) return { ...cur, error: spec.error };
    if (spec.url) {
      // Reading the checksums file is a GET on the host, like the download itself; nothing is written.
      const r = await ctx.run(`url=${shQuote(spec.url)} timeout=${args.timeout ?? 10}\n${FETCH_TO_STDOUT}`, {
        stdin: curlConfig({ headers: stringHeaders(args), timeout: args.timeout ?? 10, insecure: args.validate_certs === false }),
      });
      if (r.rc !== 0) return { ...cur, error: `Request failed for the checksum file ${spec.url}: ${r.stderr.trim() || `exit code ${r.rc}`}` };
      const hex = findChecksum(r.stdout, urlFileName(args.url));
      if (!hex) return { ...cur, error: `Unable to find a checksum for file '${urlFileName(args.url)}' in '${spec.url}'` };
      cur.want = { algo: spec.algo, hex };
    } else cur.want = { algo: spec.algo, hex: spec.hex! };
    if (stat.type === 'file') cur.destSum = (await ctx.run(`${ALGOS[spec.algo]} -- ${shQuote(dest)}`)).stdout.split(/\s/)[0];
    return cur;
  },
  plan(args, cur) {
    if (cur.error) return { changes: [], failed: cur.error };
    if (cur.stat && cur.stat.type !== 'file') return { changes: [], failed: `${cur.dest} exists and is not a regular file` };
    let attrs: AttrWant;
    try {
      attrs = wantedAttrs(args, cur.stat, false);
    } catch (e) {
      return { changes: [], failed: (e as Error).message };
    }
    const base = { url: args.url, dest: cur.dest, attrs, headers: stringHeaders(args), timeout: args.timeout ?? 10, insecure: args.validate_certs === false, ...(cur.want ? { want: cur.want } : {}) };
    const result = { url: args.url, dest: cur.dest, ...(cur.destSum ? { checksum_dest: cur.destSum } : {}) };
    const have = cur.stat !== undefined;
    const matches = cur.want ? cur.destSum === cur.want.hex : have && !args.force;
    if (!have || !matches) {
      const why = !have ? `download ${args.url} to ${cur.dest}` : cur.want ? `${cur.dest} does not match its checksum: download again` : `force: download ${args.url} again`;
      const change: Change = { kind: 'download', ...base, ...(cur.destSum && !cur.want ? { before: cur.destSum } : {}) };
      return { changes: [change], reason: why, result, diff: [{ kind: 'fields', label: cur.dest, fields: [{ key: 'content', before: have ? (cur.destSum ?? 'present') : 'absent', after: cur.want?.hex ?? args.url }] }] };
    }
    const fix = attrChanges(attrs, cur.stat);
    if (fix.length > 0) return { changes: [{ kind: 'attrs', ...base }], reason: `set ${fix.map((f) => f.key).join('/')} of ${cur.dest}`, result, diff: [{ kind: 'fields', label: `${cur.dest} (file attributes)`, fields: fix }] };
    return { changes: [], reason: cur.want ? `${cur.dest} matches its ${cur.want.algo}` : `${cur.dest} exists (force: false)`, result: { ...result, msg: 'file already exists' } };
  },
  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    if (c.kind === 'attrs') return applyAttrs(ctx, c.dest, c.attrs, plan.result);
    const dir = posix.dirname(c.dest);
    const sumCmd = c.want ? ALGOS[c.want.algo]! : 'sha1sum';
    const script = [
      `url=${shQuote(c.url)} dest=${shQuote(c.dest)} timeout=${c.timeout}`,
      `[ -d ${shQuote(dir)} ] || { echo "Destination dir ${dir} does not exist" >&2; exit 3; }`,
      `out=$(mktemp ${shQuote(`${dir}/.${posix.basename(c.dest)}.XXXXXX`)}) || exit 3`,
      "trap 'rm -f \"$out\"' EXIT",
      `status=$(${FETCH}) || { echo "HTTP status $status" >&2; exit 4; }`,
      `sum=$(${sumCmd} -- "$out" | cut -d' ' -f1); size=$(wc -c < "$out")`,
      c.want ? `[ "$sum" = ${shQuote(c.want.hex)} ] || { echo "@@mismatch $sum"; exit 5; }` : '',
      c.before ? `if [ "$sum" = ${shQuote(c.before)} ]; then echo "@@same $status $sum $size"; exit 0; fi` : '',
      // A replaced dest keeps its mode and owner unless the task sets them; a new one is 0644.
      'if [ -e "$dest" ]; then chmod --reference="$dest" "$out" && chown --reference="$dest" "$out"; else chmod 644 "$out"; fi || exit 6',
      c.attrs.mode !== undefined ? `chmod ${c.attrs.mode.toString(8)} "$out" || exit 6` : '',
      c.attrs.owner !== undefined || c.attrs.group !== undefined ? `chown ${shQuote(`${c.attrs.owner ?? ''}${c.attrs.group !== undefined ? `:${c.attrs.group}` : ''}`)} "$out" || exit 6` : '',
      'mv -f "$out" "$dest" && trap - EXIT && echo "@@done $status $sum $size"',
    ].filter(Boolean).join('\n');
    const r = await ctx.run(script, { stdin: curlConfig(c) });
    const line = r.stdout.split('\n').find((l) => l.startsWith('@@')) ?? '';
    const [tag, a, b, size] = line.split(' ');
    if (tag === '@@mismatch') return { failed: `The checksum for ${c.dest} did not match ${c.want!.hex}; it was ${a}.` };
    if (r.rc !== 0 || !tag) return { failed: `Request failed for ${c.url}: ${r.stderr.trim() || `exit code ${r.rc}`}`, result: { ...plan.result, status_code: -1 } };
    const result = { ...plan.result, status_code: Number(a), checksum_dest: b, size: Number(size), msg: `OK (${size} bytes)` };
    return tag === '@@same' ? { changed: false, result } : { result };
  },
};

function stringHeaders(args: Args): Record<string, string> {
  return Object.fromEntries(Object.entries(args.headers ?? {}).map(([k, v]) => [k, String(v)]));
}
