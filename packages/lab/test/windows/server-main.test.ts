// The process entry F's lab starts: reads the config file, listens, writes the ready file, and exits
// cleanly on SIGTERM. Bad configs fail with every problem listed.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultWindowsHostConfig } from '../../src/windows/config.js';
import { tempDir } from '../support/windows-host-runtime.js';

const MAIN = fileURLToPath(new URL('../../src/windows/server-main.ts', import.meta.url));

function start(configPath: string) {
  const p = spawn(process.execPath, ['--import', 'tsx', MAIN, configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
  return { p, exited, stderr: () => stderr };
}

async function waitFor(path: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!existsSync(path)) {
    if (Date.now() > end) throw new Error(`${path} did not appear within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('server-main', () => {
  it('listens, writes the ready file with its ports, answers, and exits 0 on SIGTERM', async () => {
    const dir = tempDir();
    const config = defaultWindowsHostConfig({ listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, certDir: join(dir, 'pki'), stateFile: join(dir, 'state.json'), readyFile: join(dir, 'ready.json') });
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const proc = start(join(dir, 'config.json'));
    await waitFor(join(dir, 'ready.json'), 30_000);
    const ready = JSON.parse(readFileSync(join(dir, 'ready.json'), 'utf8')) as { httpPort: number; httpsPort: number; pid: number };
    expect(ready.pid).toBe(proc.p.pid);
    const res = await fetch(`http://127.0.0.1:${ready.httpPort}/wsman`, { method: 'POST', body: '' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Negotiate');
    expect(JSON.parse(readFileSync(config.stateFile, 'utf8')).computerName).toBe('WINHOST1');
    expect(existsSync(join(dir, 'pki', 'ca.pem'))).toBe(true);
    proc.p.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  }, 60_000);

  it('refuses an invalid config, naming each problem', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ name: 'X', httpPort: 'no', hyperv: { gpus: [], vms: [] } }));
    const proc = start(join(dir, 'bad.json'));
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toContain('invalid Windows lab host config');
    expect(proc.stderr()).toContain("/httpPort must be integer");
    expect(proc.stderr()).toContain("must have required property 'listenAddress'");
  }, 60_000);
});
