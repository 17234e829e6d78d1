// Runs a parsed script: scopes and variables, statements, the non-output streams (routed by the
// current redirection frame) and PowerShell's three kinds of errors (non-terminating,
// statement-terminating, script-terminating). Pipelines are in pipeline.ts, commands in invoke.ts,
// expressions in eval.ts.

import type { Pos, ScriptBlockAst, Statement } from './ast.js';
import type { CommandTable } from './cmdlet.js';
import { BreakSignal, CmdletError, ContinueSignal, ExitSignal, PsErrorRecord, PsRuntimeError, ReturnSignal, type ErrorInfo, type InvocationSite } from './errors.js';
import { assignTo, evalExpr } from './eval.js';
import { binaryOp } from './operators.js';
import { invokeScriptBlock } from './invoke.js';
import { execPipeline, pipelineValue } from './pipeline.js';
import { exceptionTypeChain, InformationalRecord, InformationRecord, type InformationalKind } from './records.js';
import { HOST_FRAME, type OutputPipe, type StreamFrame } from './streams.js';
import { psVersionTable, Scope } from './scope.js';
import { castValue } from './types.js';
import { collapse, ConversionError, enumerate, type PsScriptBlock, toBool, toNumber, toStr, type PsValue } from './values.js';

export { Scope } from './scope.js';

/** Where a pipeline stage runs: the statement's scope and source text, and its redirection frame. */
export interface StageContext {
  scope: Scope;
  source: string;
  frame: StreamFrame;
}

/** What powershell.exe writes to stderr as CLIXML, in the order it happened. */
export type StderrEntry = { stream: 'error'; record: PsErrorRecord } | { stream: InformationalKind; text: string };

export interface InterpreterOptions {
  /** Text on the process's stdin (for `$input` and [Console]::In). */
  stdin?: string;
  /** Formats pipeline output for the console (Out-Default). */
  formatOutput(values: PsValue[]): string;
}

export class Interpreter<M> {
  readonly global = new Scope();
  /** Console text in order: formatted output and Write-Host lines. */
  readonly stdout: string[] = [];
  /** Errors, warnings, verbose and debug messages that reached the host (rendered as CLIXML on stderr). */
  readonly stderr: StderrEntry[] = [];
  /** Native programs' stderr, which reaches the process's stderr unwrapped (before the CLIXML). */
  readonly rawStderr: string[] = [];
  /** Virtual time consumed by Start-Sleep and slow installers. */
  delayMs = 0;
  /** Whether a progress record was emitted (module auto-loading), as powershell.exe does. */
  progressEmitted = false;
  lastSuccess = true;
  tryDepth = 0;
  /** Redirection frames: the innermost says where each non-output stream goes. */
  private readonly frames: StreamFrame[] = [HOST_FRAME];
  readonly sources: string[] = [];
  /** The scope of the statement being executed (where ForEach-Object blocks run). */
  currentScope: Scope = this.global;
  private readonly errorList: PsErrorRecord[] = [];

  constructor(
    readonly table: CommandTable<M>,
    readonly machine: M,
    readonly options: InterpreterOptions,
  ) {
    const g = this.global;
    g.set('true', true);
    g.set('false', false);
    g.set('null', null);
    g.set('ErrorActionPreference', 'Continue');
    g.set('ProgressPreference', 'Continue');
    g.set('WarningPreference', 'Continue');
    g.set('VerbosePreference', 'SilentlyContinue');
    g.set('DebugPreference', 'SilentlyContinue');
    g.set('InformationPreference', 'SilentlyContinue');
    g.set('WhatIfPreference', false);
    g.set('ConfirmPreference', 'High');
    g.set('LASTEXITCODE', null);
    g.set('OFS', ' ');
    g.set('Error', this.errorList);
    g.set('PSVersionTable', psVersionTable());
    g.set('input', (options.stdin ?? '').split(/\r?\n/).filter((l, i, a) => !(i === a.length - 1 && l === '')));
  }

  get source(): string {
    return this.sources[this.sources.length - 1] ?? '';
  }

  get frame(): StreamFrame {
    return this.frames[this.frames.length - 1]!;
  }

  /** Runs one step of a pipeline stage in its own context (see pipeline.ts). */
  runIn(ctx: StageContext, step: () => void): void {
    const previous = this.currentScope;
    this.currentScope = ctx.scope;
    this.sources.push(ctx.source);
    this.frames.push(ctx.frame);
    try {
      step();
    } finally {
      this.frames.pop();
      this.sources.pop();
      this.currentScope = previous;
    }
  }

  lineText(pos: Pos): string {
    const src = this.source;
    const start = src.lastIndexOf('\n', pos.offset - 1) + 1;
    let end = src.indexOf('\n', pos.offset);
    if (end < 0) end = src.length;
    return src.slice(start, end).replace(/\r$/, '');
  }

  site(pos: Pos, length: number, commandName?: string, commandType?: string): InvocationSite {
    return { pos, length, lineText: this.lineText(pos), commandName, commandType };
  }

  getVariable(name: string, scope: Scope): PsValue {
    if (name === '?') return this.lastSuccess;
    return scope.lookup(name).value;
  }

  /** Runs a top-level script block; returns the exit code powershell.exe would report. */
  runScript(block: ScriptBlockAst, scope = this.global): number {
    this.sources.push(block.source);
    try {
      for (const p of block.params) scope.set(p.name, p.defaultValue ? evalExpr(this, p.defaultValue, scope) : null);
      for (const stmt of block.body) {
        const out: PsValue[] = [];
        try {
          this.execStatementGuarded(stmt, scope, out);
        } finally {
          this.outDefault(out);
        }
      }
      return this.lastSuccess ? 0 : 1;
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      if (e instanceof ReturnSignal) return 0;
      if (e instanceof BreakSignal || e instanceof ContinueSignal) return 0;
      if (e instanceof PsRuntimeError) {
        this.emitError(e.record);
        return 1;
      }
      throw e;
    } finally {
      this.sources.pop();
    }
  }

  execBlock(stmts: Statement[], scope: Scope, out: OutputPipe): void {
    for (const stmt of stmts) this.execStatementGuarded(stmt, scope, out);
  }

  /** Executes one statement; a statement-terminating error outside try/catch ends only this statement. */
  execStatementGuarded(stmt: Statement, scope: Scope, out: OutputPipe): void {
    const previous = this.currentScope;
    this.currentScope = scope;
    try {
      this.execStatement(stmt, scope, out);
    } catch (e) {
      const err = this.asRuntimeError(e, stmt.pos, 'statement');
      if (err instanceof PsRuntimeError && err.scope === 'statement' && this.tryDepth === 0 && !this.preferenceIsStop(scope)) {
        this.emitError(err.record);
        this.lastSuccess = false;
        return;
      }
      throw err;
    } finally {
      this.currentScope = previous;
    }
  }

  /**
   * Runs a script block the way Where-Object/ForEach-Object and .Where()/.ForEach() do: dot-sourced in
   * the calling scope with `$_` set; returns its output.
   */
  invokeBlockValue(block: PsScriptBlock, dollarUnder: PsValue, args: PsValue[] = []): PsValue[] {
    const items = args.map((value) => ({ kind: 'positional' as const, value }));
    const out: PsValue[] = [];
    invokeScriptBlock(this, block.ast, items, [dollarUnder], this.currentScope, { dollarUnder, dotSource: true }, out);
    return out;
  }

  /** Errors raised by expressions and conversions become error records at the statement's position. */
  private asRuntimeError(e: unknown, pos: Pos, scope: 'statement' | 'script'): unknown {
    if (e instanceof CmdletError) return new PsRuntimeError(new PsErrorRecord(e.info, this.site(pos, 1)), scope);
    if (e instanceof ConversionError) {
      const info = { message: e.message, category: 'InvalidArgument', errorId: 'RuntimeException', exceptionType: 'RuntimeException', targetObject: e.value };
      return new PsRuntimeError(new PsErrorRecord(info, this.site(pos, 1)), scope);
    }
    return e;
  }

  preferenceIsStop(scope: Scope): boolean {
    return toStr(scope.lookup('ErrorActionPreference').value).toLowerCase() === 'stop';
  }

  /** Sends an error record where the error stream goes, and to $Error. */
  emitError(record: PsErrorRecord): void {
    this.errorList.unshift(record);
    const t = this.frame.error;
    if (t.kind === 'host') this.stderr.push({ stream: 'error', record });
    else if (t.kind === 'pipe') t.pipe.push(record);
  }

  /** A warning, verbose or debug message the command's preferences let through. */
  writeInformational(kind: InformationalKind, text: string): void {
    const t = this.frame[kind];
    if (t.kind === 'host') this.stderr.push({ stream: kind, text });
    else if (t.kind === 'pipe') t.pipe.push(new InformationalRecord(kind, text));
  }

  /** An information record; the host shows it only when `show` (Write-Host, or InformationAction Continue). */
  writeInformation(record: InformationRecord, show: boolean): void {
    const t = this.frame.information;
    if (t.kind === 'pipe') t.pipe.push(record);
    else if (t.kind === 'host' && show) this.stdout.push(record.hostMessage?.noNewLine ? record.text : record.text + '\r\n');
  }

  /**
   * Out-Default: objects are formatted onto stdout; warning/verbose/debug records that were merged
   * into the output go back to the host's streams, and information records print their text.
   */
  outDefault(values: PsValue[]): void {
    let run: PsValue[] = [];
    const flush = (): void => {
      const text = this.options.formatOutput(run);
      if (text) this.stdout.push(text);
      run = [];
    };
    for (const v of values) {
      if (v instanceof InformationalRecord) {
        flush();
        this.stderr.push({ stream: v.kind, text: v.message });
      } else if (v instanceof InformationRecord) {
        flush();
        this.stdout.push(v.hostMessage?.noNewLine ? v.text : v.text + '\r\n');
      } else run.push(v);
    }
    flush();
  }

  /** A non-terminating error under the given ErrorAction. */
  writeNonTerminating(info: ErrorInfo, site: InvocationSite, errorAction: string): void {
    const record = new PsErrorRecord(info, site);
    const ea = errorAction.toLowerCase();
    if (ea === 'stop') throw new PsRuntimeError(record, 'script');
    this.lastSuccess = false;
    if (ea === 'ignore') return;
    if (ea === 'silentlycontinue') {
      this.errorList.unshift(record);
      return;
    }
    this.emitError(record);
  }

  execStatement(stmt: Statement, scope: Scope, out: OutputPipe): void {
    switch (stmt.kind) {
      case 'pipeline':
        execPipeline(this, stmt, scope, out);
        return;
      case 'assign': {
        let value = this.statementValue(stmt.value, scope);
        if (stmt.op !== '=') {
          const current = evalExpr(this, stmt.target.kind === 'cast' ? stmt.target.expr : stmt.target, scope);
          value = binaryOp(stmt.op[0]!, current, value, { setMatches: () => {}, formatString: () => '' });
        }
        if (stmt.target.kind === 'cast') assignTo(this, stmt.target.expr, castValue(stmt.target.type, value), scope);
        else assignTo(this, stmt.target, value, scope);
        this.lastSuccess = true;
        return;
      }
      case 'if': {
        for (const clause of stmt.clauses) {
          if (toBool(pipelineValue(this, clause.condition, scope))) {
            this.execBlock(clause.body, scope, out);
            return;
          }
        }
        if (stmt.elseBody) this.execBlock(stmt.elseBody, scope, out);
        return;
      }
      case 'foreach': {
        const items = enumerate(pipelineValue(this, stmt.iterable, scope));
        for (const item of items) {
          scope.set(stmt.variable, item);
          if (this.loopBody(stmt.body, scope, out)) break;
        }
        return;
      }
      case 'while': {
        let guard = 0;
        while (toBool(pipelineValue(this, stmt.condition, scope))) {
          if (++guard > 10_000_000) throw new Error('loop guard exceeded');
          if (this.loopBody(stmt.body, scope, out)) break;
        }
        return;
      }
      case 'try':
        this.execTry(stmt, scope, out);
        return;
      case 'throw': {
        const value = stmt.value ? pipelineValue(this, stmt.value, scope) : null;
        if (value instanceof PsErrorRecord) throw new PsRuntimeError(value, 'script');
        const message = stmt.value ? toStr(value) : 'ScriptHalted';
        const info = { message, category: 'OperationStopped', errorId: message, exceptionType: 'RuntimeException', targetObject: stmt.value ? value : undefined };
        throw new PsRuntimeError(new PsErrorRecord(info, this.site(stmt.pos, stmt.end - stmt.pos.offset)), 'script');
      }
      case 'exit': {
        const v = stmt.value ? pipelineValue(this, stmt.value, scope) : 0;
        throw new ExitSignal(Math.trunc(toNumber(v)) | 0);
      }
      case 'return':
        if (stmt.value) execPipeline(this, stmt.value, scope, out);
        throw new ReturnSignal([]);
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'function':
        scope.functions.set(stmt.name.toLowerCase(), stmt.body);
        return;
    }
  }

  /** Value of the right side of `=`: an expression keeps its value, a command pipeline collapses. */
  statementValue(stmt: Statement, scope: Scope): PsValue {
    if (stmt.kind === 'pipeline') return pipelineValue(this, stmt, scope);
    const out: PsValue[] = [];
    this.execStatement(stmt, scope, out);
    return collapse(out);
  }

  /** Runs a loop body; returns true when the loop must stop (break). */
  private loopBody(body: Statement[], scope: Scope, out: OutputPipe): boolean {
    try {
      this.execBlock(body, scope, out);
    } catch (e) {
      if (e instanceof BreakSignal) return true;
      if (e instanceof ContinueSignal) return false;
      throw e;
    }
    return false;
  }

  private execTry(stmt: Extract<Statement, { kind: 'try' }>, scope: Scope, out: OutputPipe): void {
    try {
      this.tryDepth++;
      try {
        this.execBlock(stmt.body, scope, out);
      } finally {
        this.tryDepth--;
      }
    } catch (e) {
      const err = this.asRuntimeError(e, stmt.pos, 'script');
      if (!(err instanceof PsRuntimeError)) throw e;
      const clause = stmt.catches.find((c) => c.types.length === 0 || c.types.some((t) => catchMatches(t, err.record)));
      if (!clause) throw err;
      this.errorList.unshift(err.record);
      const saved = scope.lookup('_');
      scope.set('_', err.record);
      scope.set('PSItem', err.record);
      try {
        this.execBlock(clause.body, scope, out);
      } finally {
        scope.set('_', saved.value);
      }
    } finally {
      if (stmt.finallyBody) this.execBlock(stmt.finallyBody, scope, out);
    }
  }
}

/** `catch [T]`: T is the exception's type or one of its base types (full name, or the short name). */
function catchMatches(typeName: string, record: PsErrorRecord): boolean {
  const wanted = typeName.trim().toLowerCase().replace(/^system\./, '');
  return exceptionTypeChain(record.info.exceptionType).some((full) => {
    const name = full.toLowerCase();
    return name.replace(/^system\./, '') === wanted || name.replace(/^.*\./, '') === wanted;
  });
}
