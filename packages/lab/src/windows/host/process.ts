// Starting a process from a WinRM Command: the command line (Command + Arguments) is either
// powershell.exe, or anything cmd.exe runs (its built-ins and the host's programs).

import { Machine, type HostFacts } from '../cmdlets/machine.js';
import { runCmdLine, splitCommandLine } from '../cmdlets/natives.js';
import type { StateStore } from '../model/state.js';
import { readsStdin, runPowerShell, scriptSource, type PowerShellHost, type ProcessOutput } from './powershell.js';

export interface ProcessHost extends PowerShellHost {
  store: StateStore;
  facts: HostFacts;
  /** Set by the WinRM server: takes the host down and boots it (Restart-Computer, shutdown /r). */
  requestReboot?: (delayMs: number) => void;
}

export interface ProcessEnv {
  cwd?: string;
  env?: Record<string, string>;
}

export interface PendingProcess {
  /** The process reads all of stdin before producing anything (e.g. `-Command -`, or a script using $input). */
  waitsForStdin: boolean;
  run(stdin: Buffer): ProcessOutput;
}

export function isPowerShell(exe: string): boolean {
  return /^(.*\\)?powershell(\.exe)?$/i.test(exe);
}

export function startProcess(host: ProcessHost, commandLine: string, penv: ProcessEnv = {}): PendingProcess {
  const argv = splitCommandLine(commandLine);
  const exe = argv[0] ?? '';
  const machine = (stdin: string): Machine => {
    const m = new Machine(host.store, host.facts, stdin, penv.cwd, penv.env);
    if (host.requestReboot) m.requestReboot = host.requestReboot;
    return m;
  };
  if (isPowerShell(exe)) {
    const args = argv.slice(1);
    return {
      waitsForStdin: readsStdin(scriptSource(args)),
      run: (stdin) => finish(host, runPowerShell(host, machine(stdin.toString('utf8')), args, stdin.toString('utf8'))),
    };
  }
  return {
    waitsForStdin: false,
    run(stdin) {
      const r = runCmdLine(machine(stdin.toString('utf8')), commandLine, stdin.toString('utf8'));
      return finish(host, { stdout: Buffer.from(r.stdout, 'utf8'), stderr: Buffer.from(r.stderr, 'utf8'), exitCode: r.exitCode, delayMs: r.delayMs ?? 0 });
    },
  };
}

function finish(host: ProcessHost, out: ProcessOutput): ProcessOutput {
  host.store.commitIfChanged();
  return out;
}
