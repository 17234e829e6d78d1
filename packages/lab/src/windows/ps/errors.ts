// PowerShell error records, terminating errors and flow-control signals, and the text Windows
// PowerShell 5.1 prints for an error record (what ends up in the CLIXML on stderr).

import type { Pos } from './ast.js';
import { exceptionObject } from './records.js';
import { PsObject, toStr, typeNameOf, type PsValue } from './values.js';

export interface ErrorInfo {
  message: string;
  /** ErrorCategory name: InvalidArgument, ObjectNotFound, InvalidOperation, ResourceUnavailable... */
  category: string;
  /** Short exception type name: VirtualizationException, RuntimeException... */
  exceptionType: string;
  /** FullyQualifiedErrorId before the command suffix. */
  errorId: string;
  targetObject?: PsValue;
}

export interface InvocationSite {
  /** The cmdlet that raised the error ("Get-VM"); absent for `throw` and parse errors. */
  commandName?: string;
  /** The [Activity] in CategoryInfo when it differs from commandName (Write-Error). */
  activity?: string;
  /** .NET command type appended to the error id, e.g. Microsoft.HyperV.PowerShell.Commands.GetVM. */
  commandType?: string;
  pos?: Pos;
  /** Length of the underlined extent. */
  length?: number;
  lineText?: string;
  /** A ParserError: PowerShell prints the position before the message. */
  parseError?: boolean;
}

export class PsErrorRecord {
  readonly typeName = 'System.Management.Automation.ErrorRecord';

  constructor(
    readonly info: ErrorInfo,
    readonly site: InvocationSite = {},
  ) {}

  get message(): string {
    return this.info.message;
  }

  /** "$err" in a string gives the message, as for a real ErrorRecord. */
  toString(): string {
    return this.info.message;
  }

  get fullyQualifiedErrorId(): string {
    return this.site.commandType ? `${this.info.errorId},${this.site.commandType}` : this.info.errorId;
  }

  /** `$_.Exception` as scripts see it. */
  exceptionObject(): PsObject {
    return exceptionObject(this.info.exceptionType, this.info.message);
  }

  /** `$_.CategoryInfo`. */
  categoryObject(): PsObject {
    const o = new PsObject('System.Management.Automation.ErrorCategoryInfo', [
      ['Category', this.info.category],
      ['Activity', this.site.commandName ?? ''],
      ['Reason', this.info.exceptionType],
      ['TargetName', toStr(this.info.targetObject ?? '')],
    ]);
    o.toStringText = this.categoryText();
    return o;
  }

  private categoryText(): string {
    const t = this.info.targetObject;
    const target = t === undefined || t === null ? ':' : `${truncate(toStr(t), 40)}:${typeNameOf(t).replace(/^.*\./, '')}`;
    return `${this.info.category}: (${target}) [${this.site.activity ?? this.site.commandName ?? ''}], ${this.info.exceptionType}`;
  }

  /** Windows PowerShell 5.1's NormalView rendering, one line per element, no trailing newline. */
  formatLines(): string[] {
    const lines: string[] = [];
    const prefix = this.site.commandName ? `${this.site.commandName} : ` : '';
    const message = `${prefix}${this.info.message}`.split(/\r?\n/);
    if (!this.site.parseError) lines.push(...message);
    const { pos, lineText } = this.site;
    if (pos && lineText !== undefined) {
      lines.push(`At line:${pos.line} char:${pos.col}`);
      lines.push(`+ ${lineText}`);
      const room = Math.max(1, lineText.length - (pos.col - 1));
      lines.push(`+ ${' '.repeat(pos.col - 1)}${'~'.repeat(Math.max(1, Math.min(this.site.length ?? 1, room)))}`);
    }
    if (this.site.parseError) lines.push(...message);
    lines.push(`    + CategoryInfo          : ${this.categoryText()}`);
    lines.push(`    + FullyQualifiedErrorId : ${this.fullyQualifiedErrorId}`);
    lines.push(' ');
    return lines;
  }
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 3) + '...' : s;
}

/**
 * A terminating error. 'statement' errors (a cmdlet's ThrowTerminatingError, parameter binding) end
 * only the current statement unless caught or $ErrorActionPreference is Stop; 'script' errors (`throw`,
 * ErrorAction Stop) unwind to the nearest try/catch or end the script.
 */
export class PsRuntimeError extends Error {
  constructor(
    readonly record: PsErrorRecord,
    readonly scope: 'statement' | 'script' = 'script',
  ) {
    super(record.message);
    this.name = 'PsRuntimeError';
  }
}

/** Thrown by cmdlets and the model: becomes an error record with the cmdlet's invocation site. */
export class CmdletError extends Error {
  constructor(
    readonly info: ErrorInfo,
    /** true = ThrowTerminatingError; false = WriteError (non-terminating). */
    readonly terminating = false,
  ) {
    super(info.message);
    this.name = 'CmdletError';
  }
}

export class ExitSignal {
  constructor(readonly code: number) {}
}
export class ReturnSignal {
  constructor(readonly value: PsValue[]) {}
}
export class BreakSignal {}
export class ContinueSignal {}

/** Shorthand for the most common shapes of error info. */
export function errorInfo(message: string, category: string, errorId: string, exceptionType = 'RuntimeException', targetObject?: PsValue): ErrorInfo {
  return { message, category, errorId, exceptionType, targetObject };
}
