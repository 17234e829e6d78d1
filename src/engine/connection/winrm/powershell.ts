// How a PowerShell script reaches powershell.exe over WinRM. Short scripts travel in the command line
// as -EncodedCommand (UTF-16LE, base64). Windows command lines stop near 8 K characters, so longer
// scripts go base64-encoded over stdin to a small bootstrap that decodes and runs them; base64 keeps
// stdin plain ASCII whatever the console code page.
//
// The two shapes a WinRM server sees (the lab's server runs exactly these):
//   powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand <script>
//   same, with <script> = STDIN_BOOTSTRAP and stdin = base64(UTF-8 script) in CRLF-separated lines
import { psQuote } from '../quote.js';

export const POWERSHELL_EXE = 'powershell.exe';
export const POWERSHELL_ARGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand'] as const;

/** cmd.exe's limit is 8191 characters; stay clear of it with the executable and flags included. */
export const MAX_COMMAND_LINE = 8000;
const STDIN_LINE = 65536;

/** Reads base64 lines from stdin, decodes them as UTF-8 and runs the result (exit codes pass through). */
export const STDIN_BOOTSTRAP = [
  "$ProgressPreference = 'SilentlyContinue'",
  "$fleetplayScript = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String((@($input) -join '')))",
  '& ([scriptblock]::Create($fleetplayScript))',
].join('\n');

export function encodeCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

export function decodeCommand(encoded: string): string {
  return Buffer.from(encoded, 'base64').toString('utf16le');
}

export interface ScriptContext {
  cwd?: string;
  env?: Record<string, string>;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_().-]*$/;

/** The user's script with the prologue that applies cwd/env and silences progress records. */
export function withPrologue(script: string, ctx: ScriptContext = {}): string {
  const lines = ["$ProgressPreference = 'SilentlyContinue'"];
  for (const [k, v] of Object.entries(ctx.env ?? {})) {
    if (!ENV_NAME.test(k)) throw new Error(`environment variable name '${k}' is not valid on Windows`);
    lines.push(`\${env:${k}} = ${psQuote(v)}`);
  }
  if (ctx.cwd) lines.push(`Set-Location -LiteralPath ${psQuote(ctx.cwd)}`);
  lines.push(script);
  return lines.join('\n');
}

export interface Invocation {
  exe: string;
  args: string[];
  stdin?: Buffer;
}

/** Chooses the command-line or the stdin path for a script. */
export function invocation(script: string, stdin?: Buffer): Invocation {
  const encoded = encodeCommand(script);
  const line = [POWERSHELL_EXE, ...POWERSHELL_ARGS, encoded].join(' ');
  if (line.length <= MAX_COMMAND_LINE) return { exe: POWERSHELL_EXE, args: [...POWERSHELL_ARGS, encoded], stdin };
  if (stdin && stdin.length) {
    throw new Error(`a PowerShell script of ${script.length} characters cannot also take stdin (the script itself travels over stdin)`);
  }
  return { exe: POWERSHELL_EXE, args: [...POWERSHELL_ARGS, encodeCommand(STDIN_BOOTSTRAP)], stdin: base64Lines(Buffer.from(script, 'utf8')) };
}

/** Base64 in CRLF-terminated lines: PowerShell's $input hands stdin over line by line. */
export function base64Lines(data: Buffer): Buffer {
  const b64 = data.toString('base64');
  const parts: string[] = [];
  for (let i = 0; i < b64.length; i += STDIN_LINE) parts.push(b64.slice(i, i + STDIN_LINE));
  return Buffer.from(parts.join('\r\n') + '\r\n', 'ascii');
}
