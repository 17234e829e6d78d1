// Pipelines stream, as in PowerShell: the begin blocks of all commands run first, then every object a
// command writes reaches the next command at once, then the end blocks run in order. So what an
// upstream command wrote before a terminating error has already been processed downstream. Each
// stage runs in the context of the statement holding the pipeline (its scope, source text and
// redirection frame), never in the context of the upstream command that happens to be writing.

import type { ExprElement, PipelineStmt } from './ast.js';
import { PsRuntimeError } from './errors.js';
import { evalExpr, VOID } from './eval.js';
import type { Interpreter, Scope, StageContext } from './interpreter.js';
import { prepareCommand } from './invoke.js';
import { applyRedirects, redirectsErrors, type OutputPipe, type Redirection } from './streams.js';
import { collapse, type PsValue } from './values.js';

/** One command of a running pipeline (a compiled cmdlet's BeginProcessing/ProcessRecord/EndProcessing). */
export interface Stage {
  begin(): void;
  process(item: PsValue): void;
  end(): void;
}

interface Running {
  stage: Stage;
  ctx: StageContext;
  redirection: Redirection;
  /** The command has its own `2>`: a statement-terminating error it raises is delivered there. */
  ownsErrors: boolean;
  /** Stopped by a terminating error delivered to its own error redirection. */
  done: boolean;
  /** Objects written to it before its begin step ran (by an upstream begin block); fed in after it. */
  pending?: PsValue[];
}

/** The value of a pipeline used as an expression (conditions, `$x = ...`, `(...)`). */
export function pipelineValue<M>(ip: Interpreter<M>, p: PipelineStmt, scope: Scope): PsValue {
  const only = p.elements[0]!;
  if (p.elements.length === 1 && only.kind === 'exprElement' && only.redirects.length === 0) {
    const v = evalExpr(ip, only.expr, scope);
    return v === VOID ? null : v;
  }
  const out: PsValue[] = [];
  execPipeline(ip, p, scope, out);
  return collapse(out);
}

function pipelineItems(v: PsValue): PsValue[] {
  if (v === VOID) return [];
  if (Array.isArray(v)) return [...v];
  if (v instanceof Uint8Array) return [...v];
  return [v];
}

export function execPipeline<M>(ip: Interpreter<M>, p: PipelineStmt, scope: Scope, out: OutputPipe): void {
  const outer = ip.frame;
  const source = ip.source;
  const escaped = new WeakSet<object>();
  const running: Running[] = [];
  const relays: Relay<M>[] = [];
  p.elements.forEach((el, i) => {
    const last = i === p.elements.length - 1;
    const downstream: OutputPipe = last ? out : (relays[i] = new Relay(ip, escaped));
    const redirection = applyRedirects(el.redirects, outer, downstream, (e) => evalExpr(ip, e, scope));
    const ownsErrors = redirectsErrors(el.redirects);
    let stage: Stage;
    try {
      stage = el.kind === 'exprElement'
        ? exprStage(ip, el, scope, redirection.output, p.elements.length === 1)
        : prepareCommand(ip, el, scope, i > 0, redirection.output);
    } catch (e) {
      // `unknown-command 2>&1`, `Get-VM -Bogus 2>$null`: the error goes where the command's errors go.
      if (!(ownsErrors && e instanceof PsRuntimeError && e.scope === 'statement')) throw e;
      stage = failedStage(ip, e);
    }
    running.push({ stage, ctx: { scope, source, frame: redirection.frame }, redirection, ownsErrors, done: false, pending: [] });
  });
  relays.forEach((relay, i) => (relay.target = running[i + 1]));
  try {
    for (const r of running) {
      callStage(ip, r, escaped, () => r.stage.begin());
      const early = r.pending!;
      r.pending = undefined;
      for (const item of early) callStage(ip, r, escaped, () => r.stage.process(item));
    }
    for (const r of running) callStage(ip, r, escaped, () => r.stage.end());
  } finally {
    for (const r of running) writeFiles(ip, r.redirection);
  }
}

/** Feeds what one stage writes into the next stage's process step. */
class Relay<M> implements OutputPipe {
  target?: Running;
  constructor(
    private readonly ip: Interpreter<M>,
    private readonly escaped: WeakSet<object>,
  ) {}

  push(...items: PsValue[]): number {
    const t = this.target!;
    if (t.pending) t.pending.push(...items);
    else for (const item of items) callStage(this.ip, t, this.escaped, () => t.stage.process(item));
    return items.length;
  }
}

function callStage<M>(ip: Interpreter<M>, r: Running, escaped: WeakSet<object>, step: () => void): void {
  if (r.done) return;
  ip.runIn(r.ctx, () => {
    try {
      step();
    } catch (e) {
      // Only the stage that raised the error may capture it, not an upstream stage it unwinds through.
      const own = r.ownsErrors && e instanceof PsRuntimeError && e.scope === 'statement' && !escaped.has(e);
      if (!own) {
        if (e instanceof Error) escaped.add(e);
        throw e;
      }
      ip.emitError(e.record);
      ip.lastSuccess = false;
      r.done = true;
    }
  });
}

function failedStage<M>(ip: Interpreter<M>, e: PsRuntimeError): Stage {
  return {
    begin() {},
    process() {},
    // At end, so the commands downstream have begun before the record reaches them.
    end() {
      ip.emitError(e.record);
      ip.lastSuccess = false;
    },
  };
}

/** An expression as the first element: evaluated whole, then its items enumerated into the pipe. */
function exprStage<M>(ip: Interpreter<M>, el: ExprElement, scope: Scope, out: OutputPipe, alone: boolean): Stage {
  return {
    begin() {},
    process() {},
    end() {
      const e = el.expr;
      const v = evalExpr(ip, e, scope);
      // `$i++` as a statement of its own writes nothing.
      const silent = alone && (e.kind === 'postfix' || (e.kind === 'unary' && (e.op === '++' || e.op === '--')));
      ip.lastSuccess = true;
      if (!silent) for (const item of pipelineItems(v)) out.push(item);
    },
  };
}

function writeFiles<M>(ip: Interpreter<M>, r: Redirection): void {
  for (const f of r.files) ip.table.redirectToFile(ip.machine, f.path, ip.options.formatOutput(f.items), f.append);
}
