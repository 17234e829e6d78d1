// Starting and talking to a lab's supervisor (supervisor-main.ts).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * argv to run one of our entry modules with this Node: from the TypeScript sources (tests, tsx)
 * through tsx's loader, from the built JavaScript directly.
 */
export function nodeEntryArgv(entry: URL): string[] {
  const file = fileURLToPath(entry);
  if (!file.endsWith('.ts')) return [process.execPath, file];
  const loader = createRequire(import.meta.url).resolve('tsx');
  return [process.execPath, '--import', pathToFileURL(loader).href, file];
}

export function supervisorEntry(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./supervisor-main${ext}`, import.meta.url);
}

export interface ExitEvent {
  key: string;
  code: number | null;
  signal: string | null;
}

export class SupervisorClient {
  private nextId = 1;
  private buf = '';
  private readonly pending = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private readonly exitListeners = new Set<(e: ExitEvent) => void>();

  private constructor(private readonly sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => this.onData(chunk));
    const fail = () => {
      for (const p of this.pending.values()) p.reject(new Error('lab supervisor connection closed'));
      this.pending.clear();
    };
    sock.on('close', fail);
    sock.on('error', fail);
  }

  static connect(socketPath: string, timeoutMs = 2000): Promise<SupervisorClient> {
    return new Promise((resolve, reject) => {
      const sock = connect(socketPath);
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`lab supervisor at ${socketPath} did not answer`));
      }, timeoutMs);
      sock.once('connect', () => {
        clearTimeout(timer);
        resolve(new SupervisorClient(sock));
      });
      sock.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const msg = JSON.parse(this.buf.slice(0, nl)) as Record<string, unknown>;
      this.buf = this.buf.slice(nl + 1);
      if (msg.event === 'exit') {
        for (const l of this.exitListeners) l(msg as unknown as ExitEvent);
        continue;
      }
      const p = this.pending.get(msg.id as number);
      if (!p) continue;
      this.pending.delete(msg.id as number);
      if (msg.ok) p.resolve(msg);
      else p.reject(new Error(`lab supervisor: ${String(msg.error)}`));
    }
  }

  private request(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.sock.write(`${JSON.stringify({ ...msg, id })}\n`);
    });
  }

  /** `restartMarker`: a file the child leaves when it wants to be started again (a host reboot). */
  async spawn(key: string, argv: string[], log?: string, restartMarker?: string): Promise<number> {
    return (await this.request({ op: 'spawn', key, argv, log, ...(restartMarker ? { restartMarker } : {}) })).pid as number;
  }

  async kill(key: string): Promise<void> {
    await this.request({ op: 'kill', key });
  }

  async list(): Promise<{ key: string; pid: number }[]> {
    return (await this.request({ op: 'list' })).children as { key: string; pid: number }[];
  }

  async shutdown(): Promise<void> {
    await this.request({ op: 'shutdown' });
  }

  onExit(listener: (e: ExitEvent) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  close(): void {
    this.sock.end();
    this.sock.destroy();
  }
}

/** Starts a detached supervisor (it outlives `lab up`) and waits until it answers. */
export async function startSupervisor(socketPath: string, logPath: string): Promise<{ pid: number; client: SupervisorClient }> {
  const [cmd, ...args] = nodeEntryArgv(supervisorEntry());
  const fd = openSync(logPath, 'a', 0o600);
  const child = spawn(cmd!, [...args, socketPath], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const client = await SupervisorClient.connect(socketPath, 1000);
      return { pid: child.pid!, client };
    } catch (e) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`lab: the supervisor did not start (see ${logPath}): ${(e as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
