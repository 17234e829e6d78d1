// A static HTTP server for the lab's MOFED mirror, bound to the lab bridge address only (lab hosts
// download from it; nothing outside the machine can reach it).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join, normalize, sep } from 'node:path';

export async function serveMirror(root: string, host: string, port: number): Promise<{ server: Server; url: string }> {
  const base = normalize(root);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(base, path));
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !file.startsWith(base + sep)) {
      res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405).end();
      return;
    }
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-length': st.size, 'content-type': file.endsWith('.tgz') ? 'application/gzip' : 'text/plain' });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 Not Found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : port;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}` };
}
