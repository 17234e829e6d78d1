// Pipelines and command invocation: functions and script blocks, cmdlets (with binder.ts), native
// programs, redirections, and the "not recognized" error for anything else.

import type { CommandAst, PipelineStmt, ScriptBlockAst } from './ast.js';
import { bindArguments, bindPipelineObject, missingMandatory, type ArgItem } from './binder.js';
import type { CmdletContext, CmdletDef, CommandInfo, NativeCommand } from './cmdlet.js';
import { parseScript } from './parser.js';
import { ParseError } from './tokenizer.js';
import { CmdletError, errorInfo, PsErrorRecord, PsRuntimeError, ReturnSignal, type ErrorInfo } from './errors.js';
import { evalExpr, VOID } from './eval.js';
import { Scope, type ErrorSink, type Interpreter } from './interpreter.js';
import { castValue } from './types.js';
import { collapse, ConversionError, enumerate, PsHashtable, PsObject, PsScriptBlock, toBool, toStr, type PsValue } from './values.js';

const CORE_MODULE = 'Microsoft.PowerShell.Core';

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

export function execPipeline<M>(ip: Interpreter<M>, p: PipelineStmt, scope: Scope, out: PsValue[]): void {
  let items: PsValue[] | null = null;
  for (const el of p.elements) {
    if (el.kind === 'exprElement') {
      const e = el.expr;
      const v = evalExpr(ip, e, scope);
      const silent = p.elements.length === 1 && (e.kind === 'postfix' || (e.kind === 'unary' && (e.op === '++' || e.op === '--')));
      items = silent ? [] : pipelineItems(v);
      ip.lastSuccess = true;
      for (const r of el.redirects) {
        if (r.stream === '1' || r.stream === '*') {
          if (r.target !== 'merge') redirectOutput(ip, items, evalExpr(ip, r.target, scope), r.append);
          items = [];
        }
      }
    } else {
      // The last command writes straight into `out`, so what it printed survives an `exit` or a throw.
      const last = el === p.elements[p.elements.length - 1];
      items = invokeCommand(ip, el, items, scope, last ? out : undefined);
    }
  }
  if (items) for (const item of items) out.push(item);
}

function redirectOutput<M>(ip: Interpreter<M>, items: PsValue[], target: PsValue, append: boolean): void {
  if (target === null || target === undefined) return;
  ip.table.redirectToFile(ip.machine, toStr(target), ip.options.formatOutput(items), append);
}

function evalArgs<M>(ip: Interpreter<M>, cmd: CommandAst, scope: Scope): ArgItem[] {
  const items: ArgItem[] = [];
  for (const a of cmd.args) {
    if (a.kind === 'param') items.push({ kind: 'named', name: a.name, value: a.value ? evalExpr(ip, a.value, scope) : undefined, hasValue: !!a.value });
    else if (a.kind === 'value') items.push({ kind: 'positional', value: evalExpr(ip, a.value, scope) });
    else {
      const v = scope.lookup(a.variable).value;
      if (v instanceof PsHashtable) for (const [k, x] of v.entries()) items.push({ kind: 'named', name: toStr(k), value: x, hasValue: true });
      else for (const x of enumerate(v)) items.push({ kind: 'positional', value: x });
    }
  }
  return items;
}

export function invokeCommand<M>(ip: Interpreter<M>, cmd: CommandAst, input: PsValue[] | null, scope: Scope, sink?: PsValue[]): PsValue[] {
  const args = evalArgs(ip, cmd, scope);
  const redirectsOutput = cmd.redirects.some((r) => (r.stream === '1' || r.stream === '*') && r.target !== 'merge');
  const out: PsValue[] = sink && !redirectsOutput ? sink : [];
  let errorSink: ErrorSink | undefined;
  let outTarget: { target: PsValue; append: boolean } | undefined;
  for (const r of cmd.redirects) {
    const target = r.target === 'merge' ? 'merge' : evalExpr(ip, r.target, scope);
    if (r.stream === '2' || r.stream === '*') errorSink = target === 'merge' ? out : 'discard';
    if (r.stream === '1' || r.stream === '*') if (target !== 'merge') outTarget = { target, append: r.append };
  }
  if (errorSink) ip.errorSinks.push(errorSink);
  try {
    dispatch(ip, cmd, args, input, scope, out);
  } catch (e) {
    // With 2>&1 a statement-terminating error lands in the output like any other error record.
    if (errorSink === out && e instanceof PsRuntimeError && e.scope === 'statement') out.push(e.record);
    else if (errorSink === 'discard' && e instanceof PsRuntimeError && e.scope === 'statement') ip.lastSuccess = false;
    else throw e;
  } finally {
    if (errorSink) ip.errorSinks.pop();
  }
  if (outTarget) {
    redirectOutput(ip, out, outTarget.target, outTarget.append);
    return [];
  }
  return out === sink ? [] : out;
}

function dispatch<M>(ip: Interpreter<M>, cmd: CommandAst, args: ArgItem[], input: PsValue[] | null, scope: Scope, out: PsValue[]): void {
  let name: string;
  if (typeof cmd.name === 'string') name = cmd.name;
  else {
    const v = evalExpr(ip, cmd.name, scope);
    if (v instanceof PsScriptBlock) {
      invokeScriptBlock(ip, v.ast, args, input ?? [], scope, { dotSource: cmd.invocation === '.' }, out);
      return;
    }
    name = v instanceof PsObject && v.has('Name') ? toStr(v.get('Name')) : toStr(v);
  }
  const fn = scope.findFunction(name);
  if (fn) {
    invokeScriptBlock(ip, fn, args, input ?? [], scope, { dotSource: cmd.invocation === '.' }, out);
    return;
  }
  const def = ip.table.cmdlet(ip.machine, ip.table.alias(name) ?? name);
  if (def) return invokeCmdlet(ip, def, cmd, args, input, scope, out);
  const native = ip.table.native(ip.machine, name);
  if (native) return invokeNative(ip, native, args, input, out);
  const info = errorInfo(`The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
    'ObjectNotFound', 'CommandNotFoundException', 'CommandNotFoundException', name);
  throw new PsRuntimeError(new PsErrorRecord(info, { ...ip.site(cmd.pos, name.length, name), activity: '' }), 'statement');
}

function invokeCmdlet<M>(ip: Interpreter<M>, def: CmdletDef<M>, cmd: CommandAst, args: ArgItem[], input: PsValue[] | null, scope: Scope, out: PsValue[]): void {
  const site = ip.site(cmd.pos, cmd.end - cmd.pos.offset, def.name, def.commandType);
  const terminating = (info: ErrorInfo): PsRuntimeError => new PsRuntimeError(new PsErrorRecord(info, site), 'statement');
  let bound: Record<string, PsValue>;
  try {
    bound = bindArguments(def as CmdletDef<unknown>, args);
  } catch (e) {
    if (e instanceof CmdletError) throw terminating(e.info);
    throw e;
  }
  if (def.module !== CORE_MODULE && toStr(scope.lookup('ProgressPreference').value).toLowerCase() !== 'silentlycontinue') ip.progressEmitted = true;
  const errorAction = bound['ErrorAction'] !== undefined ? toStr(bound['ErrorAction']) : toStr(scope.lookup('ErrorActionPreference').value);
  const whatIf = bound['WhatIf'] !== undefined ? toBool(bound['WhatIf']) : toBool(scope.lookup('WhatIfPreference').value);
  let current = bound;
  let hadError = false;
  const ctx: CmdletContext<M> = {
    machine: ip.machine,
    write(v, asOne) {
      if (asOne || !Array.isArray(v)) out.push(v);
      else for (const x of v) out.push(x);
    },
    writeError(info, style) {
      hadError = true;
      const text = ip.source.slice(cmd.pos.offset, cmd.end).trim();
      ip.writeNonTerminating(info, style === 'write-error' ? { commandName: text, activity: def.name } : site, errorAction);
    },
    writeHost: (text, newline = true) => ip.stdout.push(newline ? text + '\r\n' : text),
    writeWarning: (text) => ip.warnings.push(text),
    invokeBlock: (block, du, blockArgs) => ip.invokeBlockValue(block, du, blockArgs),
    bound: (n) => n in current,
    shouldProcess(target, action) {
      if (!whatIf) return true;
      ip.stdout.push(`What if: Performing the operation "${action}" on target "${target}".\r\n`);
      return false;
    },
    sleep: (ms) => {
      ip.delayMs += ms;
    },
    getVariable: (n) => ip.getVariable(n, scope),
    setVariable: (n, v) => scope.set(n, v),
    runScript: (text) => runScriptText(ip, text, scope),
    findCommand: (n) => findCommand(ip, n, scope),
    listCommands: () => listCommands(ip),
  };
  const runOnce = (b: Record<string, PsValue>, items: PsValue[]): void => {
    current = b;
    try {
      missingMandatory(def as CmdletDef<unknown>, b);
      def.run(ctx, b, items);
    } catch (e) {
      if (e instanceof ConversionError) throw terminating(errorInfo(e.message, 'InvalidArgument', 'RuntimeException', 'RuntimeException', e.value));
      if (!(e instanceof CmdletError)) throw e;
      if (e.terminating) throw terminating(e.info);
      ctx.writeError(e.info);
    }
  };
  const notBound = (obj: PsValue): ErrorInfo => errorInfo('The input object cannot be bound to any parameters for the command either because the command does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input.',
    'InvalidArgument', 'InputObjectNotBound', 'ParameterBindingException', obj);
  if (def.input === 'all') runOnce(bound, input ?? []);
  else if (input && input.length > 0) {
    for (const obj of input) {
      const b = { ...bound };
      let ok = false;
      try {
        ok = def.input === 'each' && bindPipelineObject(def as CmdletDef<unknown>, b, obj);
      } catch (e) {
        if (!(e instanceof CmdletError)) throw e;
        ctx.writeError(e.info);
        continue;
      }
      if (ok) runOnce(b, [obj]);
      else ctx.writeError(notBound(obj));
    }
  } else runOnce(bound, []);
  ip.lastSuccess = !hadError;
}

function invokeNative<M>(ip: Interpreter<M>, native: NativeCommand<M>, args: ArgItem[], input: PsValue[] | null, out: PsValue[]): void {
  const argv: string[] = [];
  for (const a of args) {
    if (a.kind === 'named') {
      argv.push(a.hasValue ? `-${a.name}:${toStr(a.value)}` : `-${a.name}`);
    } else argv.push(...enumerate(a.value).map(toStr));
  }
  const r = native(ip.machine, argv, (input ?? []).map(toStr).join('\r\n'));
  ip.global.set('LASTEXITCODE', r.exitCode);
  ip.delayMs += r.delayMs ?? 0;
  const lines = r.stdout.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  out.push(...lines);
  if (r.stderr) ip.rawStderr.push(r.stderr);
  ip.lastSuccess = r.exitCode === 0;
}

/** Invoke-Expression: parse and run in the calling scope; parse errors are terminating. */
export function runScriptText<M>(ip: Interpreter<M>, text: string, scope: Scope): PsValue[] {
  let ast: ScriptBlockAst;
  try {
    ast = parseScript(text);
  } catch (e) {
    if (e instanceof ParseError) throw new CmdletError(errorInfo(e.message, 'ParserError', e.errorId, 'ParseException'), true);
    throw e;
  }
  ip.sources.push(ast.source);
  const out: PsValue[] = [];
  try {
    ip.execBlock(ast.body, scope, out);
  } finally {
    ip.sources.pop();
  }
  return out;
}

function findCommand<M>(ip: Interpreter<M>, name: string, scope: Scope): CommandInfo | undefined {
  if (scope.findFunction(name)) return { name, commandType: 'Function', module: '' };
  const alias = ip.table.alias(name);
  if (alias) return { name: name.toLowerCase(), commandType: 'Alias', module: '', definition: alias };
  const def = ip.table.cmdlet(ip.machine, name);
  if (def) return { name: def.name, commandType: 'Cmdlet', module: def.module };
  if (ip.table.native(ip.machine, name)) return { name: /\.exe$/i.test(name) ? name : `${name}.exe`, commandType: 'Application', module: '' };
  return undefined;
}

function listCommands<M>(ip: Interpreter<M>): CommandInfo[] {
  return ip.table.listCmdlets(ip.machine).map((d) => ({ name: d.name, commandType: 'Cmdlet' as const, module: d.module }));
}

export interface BlockOptions {
  dotSource?: boolean;
  dollarUnder?: PsValue;
}

/** Runs a function or script block with PowerShell's parameter binding for script parameters. */
export function invokeScriptBlock<M>(ip: Interpreter<M>, ast: ScriptBlockAst, args: ArgItem[], input: PsValue[], scope: Scope, opts: BlockOptions = {}, out: PsValue[] = []): PsValue[] {
  const s = opts.dotSource ? scope : new Scope(scope);
  const savedUnder = s.lookup('_');
  if ('dollarUnder' in opts) {
    s.set('_', opts.dollarUnder);
    s.set('PSItem', opts.dollarUnder);
  }
  if (!opts.dotSource) s.set('input', input);
  bindScriptParams(ip, ast, args, s);
  ip.sources.push(ast.source);
  try {
    ip.execBlock(ast.body, s, out);
  } catch (e) {
    if (!(e instanceof ReturnSignal)) throw e;
  } finally {
    ip.sources.pop();
    if (opts.dotSource && 'dollarUnder' in opts) s.set('_', savedUnder.value);
  }
  return out;
}

function bindScriptParams<M>(ip: Interpreter<M>, ast: ScriptBlockAst, args: ArgItem[], s: Scope): void {
  const values = new Map<string, PsValue>();
  const rest: PsValue[] = [];
  const positional: PsValue[] = [];
  const fail = (message: string, id: string): never => {
    throw new CmdletError(errorInfo(message, 'InvalidArgument', id, 'ParameterBindingException'), true);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.kind === 'positional') {
      positional.push(a.value);
      continue;
    }
    const lower = a.name.toLowerCase();
    const matches = ast.params.filter((p) => p.name.toLowerCase().startsWith(lower));
    const p = ast.params.find((x) => x.name.toLowerCase() === lower) ?? (matches.length === 1 ? matches[0] : undefined);
    if (!p) {
      if (ast.params.length === 0) {
        rest.push(`-${a.name}`);
        continue;
      }
      fail(`A parameter cannot be found that matches parameter name '${a.name}'.`, 'NamedParameterNotFound');
    }
    const isSwitch = p!.type?.toLowerCase() === 'switch';
    if (isSwitch) values.set(p!.name, a.hasValue ? toBool(a.value) : true);
    else if (a.hasValue) values.set(p!.name, a.value);
    else {
      const next = args[i + 1];
      if (!next || next.kind !== 'positional') fail(`Missing an argument for parameter '${p!.name}'. Specify a parameter of type '${p!.type ?? 'System.Object'}' and try again.`, 'MissingArgument');
      values.set(p!.name, (next as { value: PsValue }).value);
      i++;
    }
  }
  for (const v of positional) {
    const p = ast.params.find((x) => !values.has(x.name) && x.type?.toLowerCase() !== 'switch');
    if (p) values.set(p.name, v);
    else rest.push(v);
  }
  for (const p of ast.params) {
    let v: PsValue;
    if (values.has(p.name)) v = values.get(p.name);
    else if (p.mandatory) return fail(`Cannot process command because of one or more missing mandatory parameters: ${p.name}.`, 'MissingMandatoryParameter');
    else if (p.defaultValue) v = evalExpr(ip, p.defaultValue, s);
    else v = p.type?.toLowerCase() === 'switch' ? false : null;
    s.set(p.name, p.type ? castValue(p.type, v) : v);
  }
  s.set('args', rest);
}
