// In-process lab host runtime for tests: runs command lines / PowerShell scripts against a fresh model
// (no network), and decodes the CLIXML error stream into plain lines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createCommandTable } from '../../src/windows/cmdlets/table.js';
import { defaultWindowsHostConfig, type WindowsHostConfig } from '../../src/windows/config.js';
import { startProcess, type ProcessHost } from '../../src/windows/host/process.js';
import { initialState } from '../../src/windows/model/initial.js';
import { StateStore, type LabState } from '../../src/windows/model/state.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix = 'fp-win-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  delayMs: number;
  /** Error-stream lines from the CLIXML, decoded. */
  errors: string[];
  warnings: string[];
}

/** Lines of the `<S S="Error">` elements, with _xHHHH_ escapes decoded (what a client shows). */
export function decodeClixml(stderr: string): { errors: string[]; warnings: string[] } {
  const decode = (s: string): string =>
    s.replace(/_x([0-9A-F]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\r?\n$/, '');
  const pick = (kind: string): string[] => [...stderr.matchAll(new RegExp(`<S S="${kind}">([\\s\\S]*?)</S>`, 'g'))].map((m) => decode(m[1]!));
  return { errors: pick('Error'), warnings: pick('warning') };
}

export interface TestHost {
  config: WindowsHostConfig;
  store: StateStore;
  state(): LabState;
  /** Runs a PowerShell script the way clients send it (-EncodedCommand). */
  ps(script: string, stdin?: string): RunResult;
  /** Runs a raw command line (cmd.exe semantics, or powershell.exe ...). */
  cmd(line: string, stdin?: string): RunResult;
}

export function testHost(overrides: Partial<WindowsHostConfig> = {}, progressClixml = false): TestHost {
  const dir = tempDir();
  const config = defaultWindowsHostConfig({ certDir: dir, stateFile: join(dir, 'state.json'), ...overrides });
  const store = StateStore.open(config.stateFile, () => initialState(config));
  const host: ProcessHost = {
    store,
    facts: { address: '198.18.0.10', domain: 'WORKGROUP', osCaption: 'Microsoft Windows Server 2025 Datacenter', osVersion: '10.0.26100', installMs: 1000 },
    table: createCommandTable(),
    progressClixml,
  };
  const cmd = (line: string, stdin = ''): RunResult => {
    const r = startProcess(host, line).run(Buffer.from(stdin, 'utf8'));
    const stderr = r.stderr.toString('utf8');
    return { stdout: r.stdout.toString('utf8'), stderr, exitCode: r.exitCode, delayMs: r.delayMs, ...decodeClixml(stderr) };
  };
  return {
    config,
    store,
    state: () => store.state,
    cmd,
    ps: (script, stdin) => cmd(`powershell.exe -NoProfile -NonInteractive -EncodedCommand ${Buffer.from(script, 'utf16le').toString('base64')}`, stdin),
  };
}
