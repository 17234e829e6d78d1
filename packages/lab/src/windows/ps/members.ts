// Member access, indexing and method calls on runtime values: PSCustomObject/typed-object properties,
// hashtable keys, member enumeration over arrays, and the string/collection methods scripts use.

import { CmdletError, errorInfo, PsErrorRecord } from './errors.js';
import type { Interpreter } from './interpreter.js';
import { formatComposite, psEquals } from './operators.js';
import { collapse, enumerate, isList, PsEnum, toBool, PsHashtable, PsObject, PsScriptBlock, toNumber, toStr, typeNameOf, type PsValue } from './values.js';

function runtimeError(message: string, errorId: string): CmdletError {
  return new CmdletError(errorInfo(message, 'InvalidOperation', errorId, 'RuntimeException'), true);
}

function errorRecordMember(r: PsErrorRecord, name: string): PsValue | undefined {
  switch (name) {
    case 'exception': return r.exceptionObject();
    case 'categoryinfo': return r.categoryObject();
    case 'fullyqualifiederrorid': return r.fullyQualifiedErrorId;
    case 'targetobject': return r.info.targetObject ?? null;
    case 'errordetails': return null;
    case 'scriptstacktrace': return '';
    case 'invocationinfo': {
      const p = r.site.pos;
      return new PsObject('System.Management.Automation.InvocationInfo', [
        ['MyCommand', r.site.commandName ?? null], ['ScriptLineNumber', p?.line ?? 0], ['OffsetInLine', p?.col ?? 0],
        ['Line', r.site.lineText ?? ''], ['PositionMessage', r.formatLines().slice(1, 4).join('\n')],
      ]);
    }
    default: return undefined;
  }
}

export function getMember<M>(ip: Interpreter<M>, target: PsValue, name: string): PsValue {
  const key = name.toLowerCase();
  if (target === null || target === undefined) return key === 'count' || key === 'length' ? 0 : null;
  if (target instanceof PsObject) {
    if (target.has(name)) return target.get(name) ?? null;
    if (key === 'psobject') {
      const props = target.entries().map(([n, v]) => new PsObject('System.Management.Automation.PSNoteProperty', [
        ['Name', n], ['Value', v], ['MemberType', 'NoteProperty'], ['TypeNameOfValue', typeNameOf(v)], ['IsSettable', true],
      ]));
      return new PsObject('System.Management.Automation.PSObject', [['Properties', props], ['TypeNames', [target.typeName, 'System.Object']]]);
    }
    return key === 'count' || key === 'length' ? 1 : null;
  }
  if (target instanceof PsHashtable) {
    if (target.has(name)) return target.get(name) ?? null;
    if (key === 'keys') return target.keys();
    if (key === 'values') return target.values();
    if (key === 'count') return target.size;
    return null;
  }
  if (target instanceof PsErrorRecord) return errorRecordMember(target, key) ?? null;
  if (target instanceof Uint8Array) return key === 'length' || key === 'count' || key === 'longlength' ? target.length : null;
  if (Array.isArray(target)) {
    if (key === 'count' || key === 'length' || key === 'longlength') return target.length;
    // Member enumeration: the property of every element that has it.
    const values = target.map((x) => getMember(ip, x, name)).filter((x) => x !== null && x !== undefined);
    return values.length === 0 ? null : values.length === 1 ? values[0] : values.flatMap((v) => (Array.isArray(v) ? v : [v]));
  }
  if (typeof target === 'string') return key === 'length' ? target.length : key === 'count' ? 1 : null;
  if (target instanceof PsEnum) return key === 'value__' ? target.value : key === 'count' ? 1 : null;
  if (target instanceof Date) {
    const parts: Record<string, number> = { year: target.getUTCFullYear(), month: target.getUTCMonth() + 1, day: target.getUTCDate(),
      hour: target.getUTCHours(), minute: target.getUTCMinutes(), second: target.getUTCSeconds(), ticks: target.getTime() * 10000 + 621355968000000000 };
    return parts[key] ?? null;
  }
  return key === 'count' || key === 'length' ? 1 : null;
}

export function setMember(target: PsValue, name: string, value: PsValue): void {
  if (target instanceof PsHashtable) return target.set(name, value);
  if (target instanceof PsObject && target.has(name)) return target.set(name, value);
  if (target === null || target === undefined) throw runtimeError(`The property '${name}' cannot be found on this object. Verify that the property exists and can be set.`, 'PropertyNotFound');
  throw runtimeError(`The property '${name}' cannot be found on this object. Verify that the property exists and can be set.`, 'PropertyAssignmentException');
}

export function indexValue(target: PsValue, index: PsValue): PsValue {
  if (target === null || target === undefined) throw runtimeError('Cannot index into a null array.', 'NullArray');
  if (target instanceof PsHashtable) return Array.isArray(index) ? index.map((k) => target.get(k) ?? null) : target.get(index) ?? null;
  if (target instanceof PsObject) return target.get(toStr(index)) ?? null;
  const list: ArrayLike<PsValue> = typeof target === 'string' ? target : target instanceof Uint8Array ? target : Array.isArray(target) ? target : [target];
  const at = (i: PsValue): PsValue => {
    let n = Math.trunc(toNumber(i));
    if (n < 0) n += list.length;
    return n >= 0 && n < list.length ? list[n] : null;
  };
  return Array.isArray(index) ? index.map(at) : at(index);
}

export function setIndex(target: PsValue, index: PsValue, value: PsValue): void {
  if (target instanceof PsHashtable) return target.set(index, value);
  if (Array.isArray(target)) {
    let n = Math.trunc(toNumber(index));
    if (n < 0) n += target.length;
    if (n < 0 || n >= target.length) throw runtimeError('Index was outside the bounds of the array.', 'IndexOutOfRange');
    target[n] = value;
    return;
  }
  if (target instanceof PsObject) return setMember(target, toStr(index), value);
  throw runtimeError(`Unable to index into an object of type ${typeNameOf(target)}.`, 'CannotIndex');
}

function stringMethod(s: string, name: string, args: PsValue[]): PsValue | undefined {
  const a = args.map(toStr);
  switch (name) {
    case 'toupper': case 'toupperinvariant': return s.toUpperCase();
    case 'tolower': case 'tolowerinvariant': return s.toLowerCase();
    case 'trim': return args.length ? trimChars(s, a.join(''), true, true) : s.trim();
    case 'trimstart': return args.length ? trimChars(s, a.join(''), true, false) : s.trimStart();
    case 'trimend': return args.length ? trimChars(s, a.join(''), false, true) : s.trimEnd();
    case 'split': {
      const seps = args.length ? enumerate(args[0]).map(toStr) : [' '];
      const chars = seps.length === 1 && !Array.isArray(args[0]) ? seps[0]!.split('') : seps;
      const re = new RegExp(chars.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
      const parts = s.split(re);
      return toStr(args[1]).toLowerCase() === 'removeemptyentries' ? parts.filter((p) => p !== '') : parts;
    }
    case 'replace': return s.split(a[0]!).join(a[1] ?? '');
    case 'contains': return s.includes(a[0]!);
    case 'startswith': return args[1] !== undefined ? s.toLowerCase().startsWith(a[0]!.toLowerCase()) : s.startsWith(a[0]!);
    case 'endswith': return args[1] !== undefined ? s.toLowerCase().endsWith(a[0]!.toLowerCase()) : s.endsWith(a[0]!);
    case 'substring': {
      const start = toNumber(args[0]);
      const len = args.length > 1 ? toNumber(args[1]) : s.length - start;
      if (start < 0 || start > s.length || len < 0 || start + len > s.length) throw runtimeError(`Exception calling "Substring" with "${args.length}" argument(s): "Index and length must refer to a location within the string."`, 'ArgumentOutOfRangeException');
      return s.substr(start, len);
    }
    case 'indexof': return s.indexOf(a[0]!);
    case 'lastindexof': return s.lastIndexOf(a[0]!);
    case 'padleft': return s.padStart(toNumber(args[0]), a[1] ?? ' ');
    case 'padright': return s.padEnd(toNumber(args[0]), a[1] ?? ' ');
    case 'insert': return s.slice(0, toNumber(args[0])) + a[1] + s.slice(toNumber(args[0]));
    case 'remove': return s.slice(0, toNumber(args[0])) + (args.length > 1 ? s.slice(toNumber(args[0]) + toNumber(args[1])) : '');
    case 'tochararray': return s.split('');
    case 'equals': return s === a[0];
    default: return undefined;
  }
}

function trimChars(s: string, chars: string, start: boolean, end: boolean): string {
  let i = 0;
  let j = s.length;
  while (start && i < j && chars.includes(s[i]!)) i++;
  while (end && j > i && chars.includes(s[j - 1]!)) j--;
  return s.slice(i, j);
}

export function invokeMethod<M>(ip: Interpreter<M>, target: PsValue, name: string, args: PsValue[]): PsValue {
  const key = name.toLowerCase();
  if (target === null || target === undefined) throw runtimeError('You cannot call a method on a null-valued expression.', 'InvokeMethodOnNull');
  if (target instanceof PsObject && target.methods?.[key]) return target.methods[key]!(args);
  if (key === 'gettype') {
    const full = typeNameOf(target);
    const t = new PsObject('System.RuntimeType', [['Name', full.replace(/^.*\./, '')], ['FullName', full]]);
    t.toStringText = full;
    return t;
  }
  if (key === 'tostring') {
    if (args.length && (typeof target === 'number' || target instanceof Date)) return formatComposite(`{0:${toStr(args[0])}}`, [target]);
    return toStr(target);
  }
  if (key === 'equals') return psEquals(target, args[0], true);
  if (typeof target === 'string') {
    const r = stringMethod(target, key, args);
    if (r !== undefined) return r;
  }
  if (target instanceof PsHashtable) {
    switch (key) {
      case 'containskey': case 'contains': return target.has(args[0]);
      case 'containsvalue': return target.values().some((v) => psEquals(v, args[0]));
      case 'add':
        if (target.has(args[0])) throw runtimeError(`Exception calling "Add" with "2" argument(s): "Item has already been added. Key in dictionary: '${toStr(args[0])}'  Key being added: '${toStr(args[0])}'"`, 'ArgumentException');
        target.set(args[0], args[1]);
        return undefined;
      case 'remove': target.delete(args[0]); return undefined;
      case 'getenumerator': return target.entries().map(([k, v]) => new PsObject('System.Collections.DictionaryEntry', [['Key', k], ['Value', v], ['Name', k]]));
      case 'clone': {
        const c = new PsHashtable(target.ordered);
        for (const [k, v] of target.entries()) c.set(k, v);
        return c;
      }
    }
  }
  if (isList(target) && key === 'add') {
    target.push(args[0]);
    return target.length - 1;
  }
  if (Array.isArray(target) && key === 'add') throw runtimeError('Exception calling "Add" with "1" argument(s): "Collection was of a fixed size."', 'NotSupportedException');
  if (Array.isArray(target)) {
    switch (key) {
      case 'contains': return target.some((x) => psEquals(x, args[0], true));
      case 'indexof': return target.findIndex((x) => psEquals(x, args[0], true));
      case 'clone': return [...target];
      case 'where': return target.filter((x) => toBool(collapse(ip.invokeBlockValue(args[0] as PsScriptBlock, x))));
      case 'foreach': return target.flatMap((x) => ip.invokeBlockValue(args[0] as PsScriptBlock, x));
    }
  }
  if (target instanceof PsScriptBlock && (key === 'invoke' || key === 'invokereturnasis')) {
    const out = ip.invokeBlockValue(target, null, args);
    return key === 'invoke' ? out : out.length === 1 ? out[0] : out;
  }
  if (target instanceof PsScriptBlock && key === 'getnewclosure') return target;
  throw runtimeError(`Method invocation failed because [${typeNameOf(target)}] does not contain a method named '${name}'.`, 'MethodNotFound');
}
