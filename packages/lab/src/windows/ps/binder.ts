// Parameter binding for cmdlets: names and unambiguous prefixes, aliases, switches, positional
// arguments, conversion to the declared type, ValidateSet, pipeline input by value / property name,
// and PowerShell's messages for each failure (all statement-terminating ParameterBindingExceptions).

import type { CmdletDef, ParamSpec, ParamType } from './cmdlet.js';
import { CmdletError, errorInfo } from './errors.js';
import { convertToInteger } from './types.js';
import { ConversionError, enumerate, isArray, PsHashtable, PsObject, PsScriptBlock, toBool, toNumber, toStr, type PsValue } from './values.js';

export type ArgItem =
  | { kind: 'named'; name: string; value?: PsValue; hasValue: boolean }
  | { kind: 'positional'; value: PsValue };

export const COMMON_PARAMS: ParamSpec[] = [
  { name: 'ErrorAction', aliases: ['ea'], type: 'string', validateSet: ['SilentlyContinue', 'Stop', 'Continue', 'Inquire', 'Ignore', 'Suspend'] },
  { name: 'WarningAction', aliases: ['wa'], type: 'string' },
  { name: 'InformationAction', aliases: ['infa'], type: 'string' },
  { name: 'ErrorVariable', aliases: ['ev'], type: 'string' },
  { name: 'WarningVariable', aliases: ['wv'], type: 'string' },
  { name: 'OutVariable', aliases: ['ov'], type: 'string' },
  { name: 'OutBuffer', aliases: ['ob'], type: 'int' },
  { name: 'PipelineVariable', aliases: ['pv'], type: 'string' },
  { name: 'Verbose', aliases: ['vb'], type: 'switch' },
  { name: 'Debug', aliases: ['db'], type: 'switch' },
];
const SHOULD_PROCESS: ParamSpec[] = [
  { name: 'WhatIf', aliases: ['wi'], type: 'switch' },
  { name: 'Confirm', aliases: ['cf'], type: 'switch' },
];

const DOTNET: Record<ParamType, string> = {
  string: 'System.String', 'string[]': 'System.String[]', int: 'System.Int32', long: 'System.Int64',
  uint16: 'System.UInt16', uint64: 'System.UInt64', double: 'System.Double', bool: 'System.Boolean',
  switch: 'System.Management.Automation.SwitchParameter', scriptblock: 'System.Management.Automation.ScriptBlock',
  hashtable: 'System.Collections.Hashtable', any: 'System.Object', 'any[]': 'System.Object[]', 'object[]': 'System.Object[]',
};

function bindingError(message: string, errorId: string, target?: PsValue): CmdletError {
  return new CmdletError(errorInfo(message, 'InvalidArgument', errorId, 'ParameterBindingException', target), true);
}

export function allParams(def: CmdletDef<unknown>): ParamSpec[] {
  return [...def.params, ...COMMON_PARAMS, ...(def.supportsShouldProcess ? SHOULD_PROCESS : [])];
}

function resolveParam(params: ParamSpec[], name: string): ParamSpec {
  const lower = name.toLowerCase();
  const exact = params.find((p) => p.name.toLowerCase() === lower || p.aliases?.some((a) => a.toLowerCase() === lower));
  if (exact) return exact;
  const prefixed = params.filter((p) => p.name.toLowerCase().startsWith(lower));
  if (prefixed.length === 1) return prefixed[0]!;
  if (prefixed.length > 1) {
    throw bindingError(`Parameter cannot be processed because the parameter name '${name}' is ambiguous. Possible matches include: ${prefixed.map((p) => '-' + p.name).join(' ')}.`, 'AmbiguousParameter');
  }
  throw bindingError(`A parameter cannot be found that matches parameter name '${name}'.`, 'NamedParameterNotFound');
}

/** Converts an argument to a parameter's declared type, with PowerShell's binding message on failure. */
export function convertArg(p: ParamSpec, v: PsValue): PsValue {
  const dotnet = p.dotnetType ?? DOTNET[p.type];
  const fail = (detail: string): never => {
    throw bindingError(`Cannot bind parameter '${p.name}'. Cannot convert value "${toStr(v)}" to type "${dotnet}". Error: "${detail}"`, 'CannotConvertArgumentNoMessage', v);
  };
  try {
    switch (p.type) {
      case 'string':
        if (isArray(v)) throw bindingError(`Cannot convert 'System.Object[]' to the type 'System.String' required by parameter '${p.name}'. Specified method is not supported.`, 'CannotConvertArgument', v);
        return toStr(v);
      case 'string[]': return enumerate(v).map(toStr);
      case 'int': return convertToInteger(isArray(v) && v.length === 1 ? v[0] : v, 'int');
      case 'long': return convertToInteger(isArray(v) && v.length === 1 ? v[0] : v, 'long');
      case 'uint16': return convertToInteger(isArray(v) && v.length === 1 ? v[0] : v, 'uint16');
      case 'uint64': return convertToInteger(isArray(v) && v.length === 1 ? v[0] : v, 'uint64');
      case 'double': return toNumber(v, 'System.Double');
      case 'bool': case 'switch': return toBool(v);
      case 'scriptblock':
        if (!(v instanceof PsScriptBlock)) fail(`Invalid cast from '${typeof v === 'string' ? 'System.String' : 'System.Object'}' to 'System.Management.Automation.ScriptBlock'.`);
        return v;
      case 'hashtable':
        if (!(v instanceof PsHashtable)) fail('Only hashtables can be converted.');
        return v;
      case 'any[]': case 'object[]': return v === null ? [null] : enumerate(v);
      default: return v;
    }
  } catch (e) {
    if (e instanceof ConversionError) return fail(e.detail);
    throw e;
  }
}

function validate(p: ParamSpec, v: PsValue): void {
  if (!p.validateSet) return;
  for (const item of enumerate(v)) {
    const s = toStr(item);
    if (!p.validateSet.some((x) => x.toLowerCase() === s.toLowerCase())) {
      throw bindingError(`Cannot validate argument on parameter '${p.name}'. The argument "${s}" does not belong to the set "${p.validateSet.join(',')}" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`, 'ParameterArgumentValidationError', s);
    }
  }
}

/** Binds command-line arguments. Returns canonical-name → value; pipeline input is bound later. */
export function bindArguments(def: CmdletDef<unknown>, items: ArgItem[]): Record<string, PsValue> {
  const params = allParams(def);
  const bound: Record<string, PsValue> = {};
  const positional: PsValue[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (it.kind === 'positional') {
      positional.push(it.value);
      continue;
    }
    const p = resolveParam(params, it.name);
    if (p.name in bound) {
      throw bindingError(`Cannot bind parameter because parameter '${p.name}' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`, 'ParameterAlreadyBound');
    }
    let value: PsValue;
    if (p.type === 'switch') value = it.hasValue ? toBool(it.value) : true;
    else if (it.hasValue) value = it.value;
    else {
      const next = items[i + 1];
      if (!next || next.kind !== 'positional') {
        throw bindingError(`Missing an argument for parameter '${p.name}'. Specify a parameter of type '${p.dotnetType ?? DOTNET[p.type]}' and try again.`, 'MissingArgument');
      }
      value = next.value;
      i++;
    }
    const converted = convertArg(p, value);
    validate(p, converted);
    bound[p.name] = converted;
  }
  const slots = def.params.filter((p) => p.position !== undefined).sort((a, b) => a.position! - b.position!);
  for (const v of positional) {
    const p = slots.find((s) => !(s.name in bound));
    if (!p) throw bindingError(`A positional parameter cannot be found that accepts argument '${toStr(v)}'.`, 'PositionalParameterNotFound', v);
    const converted = convertArg(p, v);
    validate(p, converted);
    bound[p.name] = converted;
  }
  return bound;
}

/**
 * Binds one pipeline object to a parameter that takes pipeline input (by value first, then by property
 * name). Returns false when nothing could take it.
 */
export function bindPipelineObject(def: CmdletDef<unknown>, bound: Record<string, PsValue>, obj: PsValue): boolean {
  const candidates = def.params.filter((p) => p.pipeline && !(p.name in bound));
  for (const p of candidates) {
    if (!p.pipeline!.byValue) continue;
    if (p.acceptsTypes) {
      if (obj instanceof PsObject && p.acceptsTypes.some((t) => obj.typeName.endsWith(t))) {
        bound[p.name] = p.type === 'any[]' || p.type === 'object[]' ? [obj] : obj;
        return true;
      }
      continue;
    }
    if (obj instanceof PsObject && (p.type === 'string' || p.type === 'string[]') && candidates.some((c) => c.pipeline!.byPropertyName && propertyFor(c, obj) !== undefined)) continue;
    bound[p.name] = convertArg(p, obj);
    return true;
  }
  let any = false;
  if (obj instanceof PsObject) {
    for (const p of candidates) {
      if (!p.pipeline!.byPropertyName) continue;
      const v = propertyFor(p, obj);
      if (v !== undefined) {
        bound[p.name] = convertArg(p, v);
        any = true;
      }
    }
  }
  return any;
}

function propertyFor(p: ParamSpec, obj: PsObject): PsValue | undefined {
  for (const n of [p.name, ...(p.aliases ?? [])]) if (obj.has(n)) return obj.get(n);
  return undefined;
}

export function missingMandatory(def: CmdletDef<unknown>, bound: Record<string, PsValue>): void {
  const missing = def.params.filter((p) => p.mandatory && !(p.name in bound)).map((p) => p.name);
  if (missing.length) {
    throw bindingError(`Cannot process command because of one or more missing mandatory parameters: ${missing.join(' ')}.`, 'MissingMandatoryParameter');
  }
}
