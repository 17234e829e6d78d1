// Running a module's PowerShell on a Windows host and reading back one JSON answer. The answer sits
// on a marked line so that anything else the script (or a profile) prints cannot be mistaken for it,
// and a script stopped by an error is reported with PowerShell's own message, not a parse failure.
import type { HostContext } from '../../engine/contract/module.js';
import { psQuote } from '../../engine/connection/quote.js';

export const JSON_MARK = 'FLEETPLAY-JSON:';

/** The last statement of a script: writes `$expr` as the marked JSON answer. */
export const emitJson = (expr: string, depth = 4): string => `'${JSON_MARK}' + (ConvertTo-Json -InputObject ${expr} -Compress -Depth ${depth})`;

export function requireWindows(ctx: HostContext, module: string): void {
  if (ctx.shell !== 'powershell') throw new Error(`${module} needs a Windows host (ansible_connection: winrm)`);
}

/** The first error line of powershell.exe's CLIXML error stream, decoded. */
export function psErrorText(stderr: string): string {
  const lines = [...stderr.matchAll(/<S S="Error">([\s\S]*?)<\/S>/g)].map((m) =>
    m[1]!.replace(/_x([0-9A-F]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'),
  );
  const text = (lines.length ? lines.join('') : stderr).trim();
  // 5.1's NormalView: "Cmdlet : message" then "At line:..." — the message is what a user needs.
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return first.trim();
}

export function parseMarkedJson<T>(stdout: string): T | undefined {
  const line = stdout.split(/\r?\n/).reverse().find((l) => l.startsWith(JSON_MARK));
  return line === undefined ? undefined : (JSON.parse(line.slice(JSON_MARK.length)) as T);
}

/** Runs `script` (which ends with emitJson) and returns its answer; throws with the host's error. */
export async function runJson<T>(ctx: HostContext, script: string, what: string): Promise<T> {
  const r = await ctx.run(script);
  const answer = r.rc === 0 ? parseMarkedJson<T>(r.stdout) : undefined;
  if (answer === undefined) throw new Error(`${what} failed: ${psErrorText(r.stderr) || r.stdout.trim() || `exit code ${r.rc}`}`);
  return answer;
}

/** Runs an action script; returns the host's error message, or undefined when it succeeded. */
export async function runAction(ctx: HostContext, script: string): Promise<{ error?: string; stdout: string; rc: number }> {
  const r = await ctx.run(script);
  if (r.rc === 0) return { stdout: r.stdout, rc: 0 };
  return { error: psErrorText(r.stderr) || r.stdout.trim() || `exit code ${r.rc}`, stdout: r.stdout, rc: r.rc };
}

export const q = psQuote;
