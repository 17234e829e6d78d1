// The lab supervisor: one long-lived process per lab that starts the hosts' process trees as its own
// children and reaps them. It exists because the machine's init may not reap orphans: a host whose
// parent had exited would linger as a zombie after `lab down`. Controlled over a unix socket with
// newline-delimited JSON (see supervisor-client.ts).
//
//   node supervisor-main.js SOCKET
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';

interface Request {
  id?: number;
  op: 'spawn' | 'kill' | 'list' | 'shutdown' | 'ping';
  key?: string;
  argv?: string[];
  log?: string;
  /** A file the child may leave behind when it exits (a lab host's reboot): start it again. */
  restartMarker?: string;
}

const socketPath = process.argv[2];
if (!socketPath) {
  process.stderr.write('usage: supervisor-main SOCKET\n');
  process.exit(2);
}

const children = new Map<string, ChildProcess>();
/** Children that asked to be started again (a host rebooting), waiting out their delay. */
const restarts = new Map<string, NodeJS.Timeout>();
const clients = new Set<Socket>();

function send(sock: Socket, msg: object): void {
  if (!sock.destroyed) sock.write(`${JSON.stringify(msg)}\n`);
}

function broadcast(msg: object): void {
  for (const c of clients) send(c, msg);
}

/**
 * A child that exits leaving its restart marker (holding a delay in seconds) is started again with the
 * same argv after that delay: the way a lab host reboots. `kill` cancels a pending restart.
 */
function restartIfAsked(key: string, argv: string[], log: string | undefined, marker: string | undefined): boolean {
  if (!marker || !existsSync(marker)) return false;
  const delay = Math.max(0, Number(readFileSync(marker, 'utf8').trim()) || 0);
  rmSync(marker, { force: true });
  restarts.set(key, setTimeout(() => {
    restarts.delete(key);
    try {
      start(key, argv, log, marker);
    } catch {
      // started again meanwhile
    }
  }, delay * 1000));
  return true;
}

function start(key: string, argv: string[], log: string | undefined, marker?: string): number {
  if (children.has(key)) throw new Error(`'${key}' is already running`);
  const fd = log ? openSync(log, 'a', 0o600) : 'ignore';
  try {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`cannot start ${argv[0]}`);
    children.set(key, child);
    child.on('exit', (code, signal) => {
      if (children.get(key) === child) children.delete(key);
      const restarting = restartIfAsked(key, argv, log, marker);
      broadcast({ event: 'exit', key, code, signal, ...(restarting ? { restarting } : {}) });
    });
    child.on('error', () => undefined);
    return child.pid;
  } finally {
    if (typeof fd === 'number') closeSync(fd);
  }
}

function stop(key: string): Promise<void> {
  clearTimeout(restarts.get(key));
  restarts.delete(key);
  const child = children.get(key);
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      clearTimeout(fallback);
      resolve();
    });
    // Kill the grandchildren first (a host's PID-namespace init): our child, still alive, reaps
    // them and then exits. Killing our child first would orphan them to the machine's init, which
    // may never reap them.
    const grandchildren = childrenOf(child.pid!);
    for (const pid of grandchildren) signal(pid);
    const fallback = setTimeout(() => child.kill('SIGKILL'), grandchildren.length > 0 ? 2000 : 0);
  });
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function shutdown(): Promise<void> {
  for (const t of restarts.values()) clearTimeout(t);
  restarts.clear();
  await Promise.all([...children.keys()].map(stop));
}

async function handle(sock: Socket, req: Request): Promise<void> {
  const reply = (msg: object) => send(sock, { id: req.id, ...msg });
  try {
    switch (req.op) {
      case 'ping':
        return reply({ ok: true, pid: process.pid });
      case 'spawn':
        if (!req.key || !req.argv?.length) throw new Error('spawn needs key and argv');
        return reply({ ok: true, pid: start(req.key, req.argv, req.log, req.restartMarker) });
      case 'kill':
        if (!req.key) throw new Error('kill needs key');
        await stop(req.key);
        return reply({ ok: true });
      case 'list':
        return reply({ ok: true, children: [...children].map(([key, c]) => ({ key, pid: c.pid })) });
      case 'shutdown':
        await shutdown();
        reply({ ok: true });
        setImmediate(exit);
        return;
      default:
        throw new Error(`unknown op ${String((req as { op: unknown }).op)}`);
    }
  } catch (e) {
    reply({ ok: false, error: (e as Error).message });
  }
}

const server = createServer((sock) => {
  clients.add(sock);
  let buf = '';
  sock.setEncoding('utf8');
  sock.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line.trim()) continue;
      let req: Request;
      try {
        req = JSON.parse(line) as Request;
      } catch {
        send(sock, { ok: false, error: 'bad request' });
        continue;
      }
      void handle(sock, req);
    }
  });
  sock.on('close', () => clients.delete(sock));
  sock.on('error', () => undefined);
});

function exit(): void {
  server.close();
  for (const c of clients) c.destroy();
  rmSync(socketPath!, { force: true });
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown().then(exit));
process.on('SIGINT', () => void shutdown().then(exit));
process.on('SIGHUP', () => undefined);

rmSync(socketPath, { force: true });
server.listen(socketPath, () => process.stdout.write(`fleetlab supervisor ${process.pid} on ${socketPath}\n`));
