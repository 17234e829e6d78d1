// Starts and stops the user-space WAN link (delay-relay-main.ts) for a lab.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LinkShape } from './netem.js';

export interface DelayRelay {
  host: string;
  port: number;
  stop(): Promise<void>;
}

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'delay-relay-main.ts');

export async function startDelayRelay(listenHost: string, targetHost: string, targetPort: number, shape: LinkShape): Promise<DelayRelay> {
  // The bench runs under tsx: the child starts with the same loader flags.
  const child = spawn(process.execPath, [...process.execArgv, MAIN, JSON.stringify({ listenHost, targetHost, targetPort, ...shape })], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`bench: the WAN delay relay did not start: ${err.trim()}`)), 30_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void closed.then(() => {
      clearTimeout(timer);
      reject(new Error(`bench: the WAN delay relay exited: ${err.trim()}`));
    });
  });
  return {
    host: listenHost,
    port,
    async stop() {
      child.kill('SIGTERM');
      await closed;
    },
  };
}
