// A small HTTP file server in a child process for tests of the lab host's Invoke-WebRequest: the
// host waits synchronously for its downloads, so the server must not share the test's event loop.
import { spawn, type ChildProcess } from 'node:child_process';

export interface FileServer {
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

export interface Route {
  status?: number;
  body?: string | Buffer;
  /** Answer with a redirect to this path. */
  redirect?: string;
}

const SERVER = String.raw`
const http = require('node:http');
const routes = JSON.parse(process.argv[1]);
const server = http.createServer((req, res) => {
  const r = routes[req.url];
  if (!r) { res.writeHead(404); return res.end(); }
  if (r.redirect) { res.writeHead(302, { location: r.redirect }); return res.end(); }
  const body = Buffer.from(r.body ?? '', 'base64');
  res.writeHead(r.status ?? 200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

export async function startFileServer(routes: Record<string, Route>): Promise<FileServer> {
  const wire = Object.fromEntries(Object.entries(routes).map(([p, r]) => [p, { ...r, body: r.body === undefined ? undefined : Buffer.from(r.body).toString('base64') }]));
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER, JSON.stringify(wire)], { stdio: ['pipe', 'pipe', 'inherit'], env: {} });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) resolve(Number(text.trim()));
    });
    child.once('exit', (code) => reject(new Error(`file server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}
