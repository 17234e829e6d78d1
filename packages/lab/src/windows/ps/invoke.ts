// Command invocation: resolving a pipeline element to a function, script block, cmdlet (with
// cmdlet-stage.ts and binder.ts) or native program, and the "not recognized" error for anything else;
// script parameters, Invoke-Expression and Get-Command's lookup.

import type { CommandAst, ScriptBlockAst } from './ast.js';
import type { ArgItem } from './binder.js';
import type { CommandInfo, NativeCommand } from './cmdlet.js';
import { cmdletStage } from './cmdlet-stage.js';
import { parseScript } from './parser.js';
import { ParseError } from './tokenizer.js';
import { CmdletError, errorInfo, PsErrorRecord, PsRuntimeError, ReturnSignal } from './errors.js';
import { evalExpr } from './eval.js';
import { Scope, type Interpreter } from './interpreter.js';
import type { Stage } from './pipeline.js';
import type { OutputPipe } from './streams.js';
import { castValue } from './types.js';
import { enumerate, PsHashtable, PsObject, PsScriptBlock, toBool, toStr, type PsValue } from './values.js';

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

/**
 * Resolves a command of a pipeline and gets it ready to run: arguments evaluated, a cmdlet's
 * parameters bound. Unknown commands and binding errors are statement-terminating, raised before any
 * command of the pipeline runs. `upstream`: something feeds it pipeline input.
 */
export function prepareCommand<M>(ip: Interpreter<M>, cmd: CommandAst, scope: Scope, upstream: boolean, out: OutputPipe): Stage {
  const args = evalArgs(ip, cmd, scope);
  let name: string;
  if (typeof cmd.name === 'string') name = cmd.name;
  else {
    const v = evalExpr(ip, cmd.name, scope);
    if (v instanceof PsScriptBlock) return scriptStage(ip, v.ast, args, scope, cmd.invocation === '.', out);
    name = v instanceof PsObject && v.has('Name') ? toStr(v.get('Name')) : toStr(v);
  }
  const fn = scope.findFunction(name);
  if (fn) return scriptStage(ip, fn, args, scope, cmd.invocation === '.', out);
  const def = ip.table.cmdlet(ip.machine, ip.table.alias(name) ?? name);
  if (def) return cmdletStage(ip, def, cmd, args, scope, upstream, out);
  const native = ip.table.native(ip.machine, name);
  if (native) return collectingStage((input) => invokeNative(ip, native, args, upstream ? input : null, out));
  const info = errorInfo(`The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
    'ObjectNotFound', 'CommandNotFoundException', 'CommandNotFoundException', name);
  throw new PsRuntimeError(new PsErrorRecord(info, { ...ip.site(cmd.pos, name.length, name), activity: '' }), 'statement');
}

/** A command that needs all its input first: it runs at the end (the subset has no begin/process/end blocks). */
function collectingStage(run: (input: PsValue[]) => void): Stage {
  const input: PsValue[] = [];
  return {
    begin() {},
    process(item) {
      input.push(item);
    },
    end() {
      run(input);
    },
  };
}

/** A function or script block: its body is its end block, `$input` holds what was piped to it. */
function scriptStage<M>(ip: Interpreter<M>, ast: ScriptBlockAst, args: ArgItem[], scope: Scope, dotSource: boolean, out: OutputPipe): Stage {
  return collectingStage((input) => {
    invokeScriptBlock(ip, ast, args, input, scope, { dotSource }, out);
  });
}

function invokeNative<M>(ip: Interpreter<M>, native: NativeCommand<M>, args: ArgItem[], input: PsValue[] | null, out: OutputPipe): void {
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

export function findCommand<M>(ip: Interpreter<M>, name: string, scope: Scope): CommandInfo | undefined {
  if (scope.findFunction(name)) return { name, commandType: 'Function', module: '' };
  const alias = ip.table.alias(name);
  if (alias) return { name: name.toLowerCase(), commandType: 'Alias', module: '', definition: alias };
  const def = ip.table.cmdlet(ip.machine, name);
  if (def) return { name: def.name, commandType: 'Cmdlet', module: def.module };
  if (ip.table.native(ip.machine, name)) return { name: /\.exe$/i.test(name) ? name : `${name}.exe`, commandType: 'Application', module: '' };
  return undefined;
}

export function listCommands<M>(ip: Interpreter<M>): CommandInfo[] {
  return ip.table.listCmdlets(ip.machine).map((d) => ({ name: d.name, commandType: 'Cmdlet' as const, module: d.module }));
}

export interface BlockOptions {
  dotSource?: boolean;
  dollarUnder?: PsValue;
}

/** Runs a function or script block with PowerShell's parameter binding for script parameters. */
export function invokeScriptBlock<M>(ip: Interpreter<M>, ast: ScriptBlockAst, args: ArgItem[], input: PsValue[], scope: Scope, opts: BlockOptions = {}, out: OutputPipe = []): void {
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
