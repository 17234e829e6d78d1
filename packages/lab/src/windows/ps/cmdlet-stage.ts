// A cmdlet as a pipeline stage: arguments bound when the pipeline starts, then begin, one run per
// pipeline object as it arrives ('each') or one run over all of them at the end ('all'), then end.
// The context it gets routes its streams with PowerShell's preferences and common parameters.

import type { CommandAst } from './ast.js';
import { bindArguments, bindPipelineObject, missingMandatory, type ArgItem } from './binder.js';
import type { CmdletContext, CmdletDef } from './cmdlet.js';
import { CmdletError, errorInfo, PsErrorRecord, PsRuntimeError, type ErrorInfo } from './errors.js';
import { invokeScriptBlock, runScriptText, findCommand, listCommands } from './invoke.js';
import type { Interpreter, Scope } from './interpreter.js';
import type { Stage } from './pipeline.js';
import { hostInformationMessage, InformationRecord } from './records.js';
import type { OutputPipe } from './streams.js';
import { ConversionError, toBool, toStr, type PsValue } from './values.js';

const CORE_MODULE = 'Microsoft.PowerShell.Core';

export function cmdletStage<M>(ip: Interpreter<M>, def: CmdletDef<M>, cmd: CommandAst, args: ArgItem[], scope: Scope, upstream: boolean, out: OutputPipe): Stage {
  const site = ip.site(cmd.pos, cmd.end - cmd.pos.offset, def.name, def.commandType);
  const terminating = (info: ErrorInfo): PsRuntimeError => new PsRuntimeError(new PsErrorRecord(info, site), 'statement');
  let bound: Record<string, PsValue>;
  try {
    bound = bindArguments(def as CmdletDef<unknown>, args);
  } catch (e) {
    if (e instanceof CmdletError) throw terminating(e.info);
    throw e;
  }
  const commandText = ip.source.slice(cmd.pos.offset, cmd.end).trim();
  const preference = (common: string, variable: string): string =>
    (bound[common] !== undefined ? toStr(bound[common]) : toStr(scope.lookup(variable).value)).toLowerCase();
  const switchPreference = (common: string, variable: string): string =>
    bound[common] !== undefined ? (toBool(bound[common]) ? 'continue' : 'silentlycontinue') : preference(common, variable);
  const stopped = (variable: string, message: string): PsRuntimeError =>
    new PsRuntimeError(new PsErrorRecord(errorInfo(`The running command stopped because the preference variable "${variable}" or common parameter is set to Stop: ${message}`,
      'OperationStopped', 'ActionPreferenceStop', 'ActionPreferenceStopException'), site), 'script');
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
      ip.writeNonTerminating(info, style === 'write-error' ? { commandName: commandText, activity: def.name } : site, errorAction);
    },
    writeHost(text, newline = true, colors = {}) {
      const action = bound['InformationAction'] !== undefined ? toStr(bound['InformationAction']).toLowerCase() : 'continue';
      if (action === 'ignore') return;
      const message = { text, noNewLine: !newline, foregroundColor: colors.foreground, backgroundColor: colors.background };
      ip.writeInformation(new InformationRecord(hostInformationMessage(message), ['PSHOST'], message), action !== 'silentlycontinue');
    },
    writeWarning(text) {
      const action = preference('WarningAction', 'WarningPreference');
      if (action === 'silentlycontinue' || action === 'ignore') return;
      if (action === 'stop') throw stopped('WarningPreference', text);
      ip.writeInformational('warning', text);
    },
    writeVerbose(text) {
      if (switchPreference('Verbose', 'VerbosePreference') === 'continue') ip.writeInformational('verbose', text);
    },
    writeDebug(text) {
      if (switchPreference('Debug', 'DebugPreference') === 'continue') ip.writeInformational('debug', text);
    },
    writeInformation(data, tags) {
      const action = preference('InformationAction', 'InformationPreference');
      if (action === 'ignore') return;
      if (action === 'stop') throw stopped('InformationPreference', toStr(data));
      ip.writeInformation(new InformationRecord(data, tags), action === 'continue');
    },
    writeConsole: (text) => ip.stdout.push(text),
    outDefault: (values) => ip.outDefault(values),
    invokeBlock: (block, du, blockArgs) => ip.invokeBlockValue(block, du, blockArgs),
    writeBlock(block, du, blockArgs = []) {
      const items = blockArgs.map((value) => ({ kind: 'positional' as const, value }));
      invokeScriptBlock(ip, block.ast, items, [du], ip.currentScope, { dollarUnder: du, dotSource: true }, out);
    },
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
  const guard = (b: Record<string, PsValue>, step: () => void): void => {
    current = b;
    try {
      step();
    } catch (e) {
      if (e instanceof ConversionError) throw terminating(errorInfo(e.message, 'InvalidArgument', 'RuntimeException', 'RuntimeException', e.value));
      if (!(e instanceof CmdletError)) throw e;
      if (e.terminating) throw terminating(e.info);
      ctx.writeError(e.info);
    }
  };
  const runOnce = (b: Record<string, PsValue>, items: PsValue[]): void =>
    guard(b, () => {
      missingMandatory(def as CmdletDef<unknown>, b);
      def.run(ctx, b, items);
    });
  const notBound = (obj: PsValue): ErrorInfo => errorInfo('The input object cannot be bound to any parameters for the command either because the command does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input.',
    'InvalidArgument', 'InputObjectNotBound', 'ParameterBindingException', obj);
  const collected: PsValue[] = [];
  return {
    begin() {
      if (def.module !== CORE_MODULE && toStr(scope.lookup('ProgressPreference').value).toLowerCase() !== 'silentlycontinue') ip.progressEmitted = true;
      if (def.begin) guard(bound, () => def.begin!(ctx, bound));
    },
    process(obj) {
      if (def.input === 'all') {
        collected.push(obj);
        return;
      }
      const b = { ...bound };
      let ok = false;
      try {
        ok = def.input === 'each' && bindPipelineObject(def as CmdletDef<unknown>, b, obj);
      } catch (e) {
        if (!(e instanceof CmdletError)) throw e;
        ctx.writeError(e.info);
        return;
      }
      if (ok) runOnce(b, [obj]);
      else ctx.writeError(notBound(obj));
    },
    end() {
      // A command first in its pipeline runs once; downstream, 'each' ran per object already.
      if (def.input === 'all') runOnce(bound, collected);
      else if (!upstream) runOnce(bound, []);
      if (def.end) guard(bound, () => def.end!(ctx, bound));
      ip.lastSuccess = !hadError;
    },
  };
}
