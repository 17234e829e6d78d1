// External programs of the lab host: hostname, whoami, ipconfig, cmd.exe's built-ins (echo, exit,
// type, ver, set) and installers found on disk (the WinOF-2 package). Output uses CRLF like the real
// programs. Anything else is cmd.exe's "not recognized as an internal or external command".

import { parseLabPackage, runMsiexec, runSetupExe } from '../model/packages.js';
import { runWinof2Installer } from '../model/winof2.js';
import type { NativeResult } from '../ps/cmdlet.js';
import type { Machine } from './machine.js';
import { runSc } from './services.js';

/** Splits a Windows command line the way CommandLineToArgvW does (quotes group, \" escapes). */
export function splitCommandLine(line: string): string[] {
  const args: string[] = [];
  let cur = '';
  let inQuotes = false;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') {
      let n = 0;
      while (line[i + n] === '\\') n++;
      if (line[i + n] === '"') {
        cur += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) cur += '"';
        else inQuotes = !inQuotes;
        i += n;
      } else {
        cur += '\\'.repeat(n);
        i += n - 1;
      }
      has = true;
    } else if (c === '"') {
      if (inQuotes && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else inQuotes = !inQuotes;
      has = true;
    } else if ((c === ' ' || c === '\t') && !inQuotes) {
      if (has) args.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) args.push(cur);
  return args;
}

const ok = (stdout: string): NativeResult => ({ stdout, stderr: '', exitCode: 0 });
const notRecognized = (name: string): NativeResult => ({
  stdout: '',
  stderr: `'${name}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`,
  exitCode: 1,
});

function ipconfig(m: Machine, all: boolean): string {
  const lines = ['', 'Windows IP Configuration', ''];
  if (all) lines.push(`   Host Name . . . . . . . . . . . . : ${m.state.computerName}`, '   Primary Dns Suffix  . . . . . . . : ', '   Node Type . . . . . . . . . . . . : Hybrid', '');
  lines.push('', 'Ethernet adapter Ethernet:', '', '   Connection-specific DNS Suffix  . : ', `   IPv4 Address. . . . . . . . . . . : ${m.facts.address}`,
    '   Subnet Mask . . . . . . . . . . . : 255.255.255.0', '   Default Gateway . . . . . . . . . : ', '');
  return lines.join('\r\n') + '\r\n';
}

/** Whether `name` names a program runNative can start. */
export function nativeExists(m: Machine, path: string): boolean {
  const name = path.replace(/^.*[\\/]/, '').toLowerCase().replace(/\.(exe|com)$/, '');
  if (['hostname', 'whoami', 'ipconfig', 'cmd', 'powershell', 'sc', 'shutdown', 'msiexec'].includes(name) && !/[\\/]/.test(path.replace(/^C:\\Windows\\System32\\/i, ''))) return true;
  try {
    return /\.exe$/i.test(path) && m.fs.entry(path)?.type === 'file';
  } catch {
    return false;
  }
}

/** Runs one program (argv[0] may be a bare name, name.exe, or a path on the lab disk). */
/** `joined`: the arguments are pieces of one command line (Start-Process -ArgumentList), not separate words. */
export function runNative(m: Machine, argv: string[], stdin: string, joined = false): NativeResult | undefined {
  const path = argv[0] ?? '';
  const name = path.replace(/^.*[\\/]/, '').toLowerCase().replace(/\.(exe|com)$/, '');
  const args = argv.slice(1);
  switch (name) {
    case 'hostname': return ok(`${m.state.computerName}\r\n`);
    case 'whoami': return ok(`${m.state.computerName.toLowerCase()}\\${(m.env.USERNAME ?? 'administrator').toLowerCase()}\r\n`);
    case 'ipconfig': return ok(ipconfig(m, args.some((a) => a.toLowerCase() === '/all')));
    case 'sc': return runSc(m, args);
    case 'shutdown': return shutdown(m, args);
    case 'msiexec': return { stdout: '', stderr: '', exitCode: runMsiexec(m.state, m.fs, asProgramSees(args, joined)), delayMs: m.facts.installMs };
    case 'powershell':
      return m.runPowerShell ? m.runPowerShell(args, stdin) : undefined;
    case 'cmd': {
      const c = args.findIndex((a) => /^\/[ck]$/i.test(a));
      return c < 0 ? ok('') : runCmdLine(m, args.slice(c + 1).join(' '), stdin);
    }
  }
  if (/\.exe$/i.test(path) && m.fs.exists(path) && m.fs.entry(path)?.type === 'file') {
    const pkg = parseLabPackage(m.fs.read(path));
    if (pkg) return { stdout: '', stderr: '', exitCode: runSetupExe(m.state, m.fs, m.fs.resolve(path), pkg, asProgramSees(args, joined)), delayMs: m.facts.installMs };
    const code = runWinof2Installer(m.state, m.fs.resolve(path), args.join(' '));
    return { stdout: '', stderr: '', exitCode: code, delayMs: m.facts.installMs };
  }
  return undefined;
}

/**
 * A program gets one command line, not an argument array: Start-Process joins -ArgumentList with
 * spaces as they are (so one string may hold many arguments), a direct call quotes what has spaces. Installers
 * parse it back the CommandLineToArgvW way.
 */
function asProgramSees(args: string[], joined: boolean): string[] {
  return splitCommandLine((joined ? args : args.map((a) => (/\s/.test(a) && !/"/.test(a) ? `"${a}"` : a))).join(' '));
}

/** shutdown.exe: only restarts (/r, with /t seconds and /c comment); the lab host has no power-off. */
function shutdown(m: Machine, args: string[]): NativeResult {
  const flag = (f: string): number => args.findIndex((a) => a.toLowerCase() === `/${f}` || a.toLowerCase() === `-${f}`);
  if (flag('a') >= 0) return { stdout: '', stderr: 'Unable to abort the system shutdown because no shutdown was in progress.(1116)\r\n', exitCode: 1116 };
  if (flag('r') < 0) return { stdout: '', stderr: 'fleetlab: only restarts (shutdown /r) are supported on lab hosts\r\n', exitCode: 1 };
  const t = flag('t');
  const seconds = t >= 0 ? Number(args[t + 1]) : 30;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 315_360_000) return { stdout: '', stderr: 'The parameter is incorrect.(87)\r\n', exitCode: 87 };
  m.reboot(seconds * 1000);
  return ok('');
}

/** cmd.exe: its built-ins, then programs. */
export function runCmdLine(m: Machine, line: string, stdin: string): NativeResult {
  const trimmed = line.trim();
  const word = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!word) return ok('');
  const [, first, rest] = word as unknown as [string, string, string];
  switch (first.toLowerCase()) {
    case 'echo': return ok(rest === '' ? 'ECHO is on.\r\n' : `${rest.replace(/^\./, '')}\r\n`);
    case 'echo.': return ok('\r\n');
    case 'exit': {
      const m2 = /^(?:\/b\s+)?(-?\d+)?/i.exec(rest);
      return { stdout: '', stderr: '', exitCode: m2?.[1] ? Number(m2[1]) : 0 };
    }
    case 'ver': return ok(`\r\nMicrosoft Windows [Version ${m.facts.osVersion}]\r\n`);
    case 'set': return ok(Object.entries(m.env).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join('\r\n') + '\r\n');
    case 'type': {
      const p = splitCommandLine(rest)[0] ?? '';
      if (!m.fs.exists(p)) return { stdout: '', stderr: 'The system cannot find the file specified.\r\n', exitCode: 1 };
      return ok(m.fs.read(p).toString('latin1'));
    }
  }
  const argv = splitCommandLine(trimmed);
  return runNative(m, argv, stdin) ?? notRecognized(argv[0] ?? first);
}
