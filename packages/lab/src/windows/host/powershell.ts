// powershell.exe on the lab host: its command-line options (-EncodedCommand, -Command, -Command -,
// -File), one interpreter run against the host's state, and stdout/stderr as Windows PowerShell 5.1
// writes them when its streams are redirected (CRLF text; errors as a `#< CLIXML` block).

import type { Machine } from '../cmdlets/machine.js';
import type { CommandTable } from '../ps/cmdlet.js';
import { renderClixml } from '../ps/clixml.js';
import { errorInfo, PsErrorRecord } from '../ps/errors.js';
import { formatOutput } from '../ps/format.js';
import { Interpreter } from '../ps/interpreter.js';
import { parseScript } from '../ps/parser.js';
import { ParseError, Scanner } from '../ps/tokenizer.js';

export interface ProcessOutput {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
  /** Virtual time the process takes (Start-Sleep, installers): its completion is reported this much later. */
  delayMs: number;
}

export type ScriptSource = { kind: 'text'; script: string } | { kind: 'stdin' } | { kind: 'file'; path: string };

const SKIP_WITH_VALUE = ['-executionpolicy', '-ep', '-ex', '-exec', '-inputformat', '-if', '-outputformat', '-of', '-windowstyle', '-w', '-version', '-v', '-configurationname', '-psconsolefile'];
const FLAGS = ['-noprofile', '-nop', '-noninteractive', '-noni', '-nologo', '-sta', '-mta', '-noexit'];

/** Where the script comes from, per powershell.exe's rules (the first bare word starts -Command). */
export function scriptSource(args: string[]): ScriptSource {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const lower = a.toLowerCase();
    if (FLAGS.includes(lower)) continue;
    if (SKIP_WITH_VALUE.includes(lower)) {
      i++;
      continue;
    }
    if (['-encodedcommand', '-enc', '-ec', '-e'].includes(lower)) return { kind: 'text', script: Buffer.from(args[i + 1] ?? '', 'base64').toString('utf16le') };
    if (lower === '-command' || lower === '-c') {
      const rest = args.slice(i + 1);
      return rest.length === 1 && rest[0] === '-' ? { kind: 'stdin' } : { kind: 'text', script: rest.join(' ') };
    }
    if (lower === '-file' || lower === '-f') return args[i + 1] === '-' ? { kind: 'stdin' } : { kind: 'file', path: args[i + 1] ?? '' };
    return { kind: 'text', script: args.slice(i).join(' ') };
  }
  return { kind: 'stdin' };
}

/** True when the script reads stdin ($input, [Console]::In): the process must wait for all of it. */
export function readsStdin(src: ScriptSource): boolean {
  if (src.kind !== 'text') return src.kind === 'stdin';
  let ast: unknown;
  try {
    ast = parseScript(src.script);
  } catch {
    return false;
  }
  const seen = (node: unknown): boolean => {
    if (!node || typeof node !== 'object') return false;
    const n = node as Record<string, unknown>;
    if (n.kind === 'var' && String(n.name).toLowerCase() === 'input') return true;
    if (n.kind === 'typeLiteral' && /^(system\.)?console$/i.test(String(n.type))) return true;
    return Object.entries(n).some(([k, v]) => k !== 'pos' && (Array.isArray(v) ? v.some(seen) : typeof v === 'object' && seen(v)));
  };
  return seen(ast);
}

export interface PowerShellHost {
  table: CommandTable<Machine>;
  /** Emit the "Preparing modules for first use." progress record like powershell.exe does. */
  progressClixml: boolean;
}

function parseErrorRecord(e: ParseError, script: string): PsErrorRecord {
  const s = new Scanner(script);
  return new PsErrorRecord(errorInfo(e.message, 'ParserError', e.errorId, 'ParentContainsErrorRecordException'),
    { pos: e.pos, length: 1, lineText: s.lineText(e.pos.offset), parseError: true });
}

export function runPowerShell(host: PowerShellHost, machine: Machine, args: string[], stdin: string): ProcessOutput {
  const src = scriptSource(args);
  let script: string;
  if (src.kind === 'text') script = src.script;
  else if (src.kind === 'stdin') script = stdin;
  else {
    if (!machine.fs.exists(src.path)) {
      const msg = `The argument '${src.path}' to the -File parameter does not exist. Provide the path to an existing '.ps1' file as an argument to the -File parameter.\r\n`;
      return { stdout: Buffer.alloc(0), stderr: Buffer.from(msg), exitCode: -196608, delayMs: 0 };
    }
    script = machine.fs.read(src.path).toString('utf8').replace(/^\uFEFF/, '');
  }
  machine.runPowerShell = (nestedArgs, nestedStdin) => {
    const r = runPowerShell(host, machine, nestedArgs, nestedStdin);
    return { stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), exitCode: r.exitCode, delayMs: r.delayMs };
  };
  const ip = new Interpreter(host.table, machine, { stdin: src.kind === 'stdin' ? '' : stdin, formatOutput });
  let exitCode: number;
  try {
    exitCode = ip.runScript(parseScript(script));
  } catch (e) {
    if (e instanceof ParseError) {
      ip.stderr.push({ stream: 'error', record: parseErrorRecord(e, script) });
      exitCode = 1;
    } else {
      // A bug in the lab must read as a failed command, not take the server down.
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`lab windows host: internal error running PowerShell: ${e instanceof Error ? e.stack : message}\n`);
      ip.stderr.push({ stream: 'error', record: new PsErrorRecord(errorInfo(`Internal error in the lab host's PowerShell: ${message}`, 'NotSpecified', 'LabInternalError', 'RuntimeException')) });
      exitCode = 1;
    }
  }
  const clixml = renderClixml({ progress: host.progressClixml && ip.progressEmitted, entries: ip.stderr });
  return {
    stdout: Buffer.from(ip.stdout.join(''), 'utf8'),
    stderr: Buffer.from(ip.rawStderr.join('') + clixml, 'utf8'),
    exitCode,
    delayMs: ip.delayMs,
  };
}
