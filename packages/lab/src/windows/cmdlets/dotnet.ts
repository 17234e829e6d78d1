// Static .NET members scripts call: [Convert], [IO.File], [IO.Directory], [IO.Path], [Text.Encoding],
// [guid], [Environment], [Console], [Math], [DateTime], [DateTimeOffset], [scriptblock], [string],
// [int]/[long], [Net.ServicePointManager], [regex]. Failures read like PowerShell's
// MethodInvocationException ("Exception calling "X" with "1" argument(s): ...").

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { CmdletError, errorInfo } from '../ps/errors.js';
import { formatComposite } from '../ps/operators.js';
import { parseScript } from '../ps/parser.js';
import { ParseError } from '../ps/tokenizer.js';
import { enumerate, PsEnum, PsObject, PsScriptBlock, toNumber, toStr, type PsValue } from '../ps/values.js';
import { formatDate } from './dates.js';
import type { Machine } from './machine.js';

export class DotnetError extends Error {}

const fail = (message: string): never => {
  throw new DotnetError(message);
};

function bytesOf(v: PsValue): Buffer {
  if (v instanceof Uint8Array) return Buffer.from(v);
  return Buffer.from(enumerate(v).map((b) => toNumber(b) & 0xff));
}

function encodingObject(name: string, enc: 'utf8' | 'ascii' | 'utf16le' | 'latin1'): PsObject {
  const o = new PsObject(`System.Text.${name}Encoding`, [['EncodingName', name], ['WebName', enc === 'utf16le' ? 'utf-16' : enc === 'utf8' ? 'utf-8' : enc]]);
  o.toStringText = `System.Text.${name}Encoding`;
  o.methods = {
    getstring: ([b]) => {
      const buf = bytesOf(b);
      return enc === 'utf8' && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3).toString('utf8') : buf.toString(enc);
    },
    getbytes: ([s]) => new Uint8Array(Buffer.from(toStr(s), enc)),
  };
  return o;
}

function guidObject(g: string): PsObject {
  const o = new PsObject('System.Guid', [['Guid', g]]);
  o.toStringText = g;
  o.methods = { tostring: ([f]) => (toStr(f ?? 'D').toUpperCase() === 'N' ? g.replace(/-/g, '') : g) };
  return o;
}

function dateOffsetObject(d: Date): PsObject {
  const o = new PsObject('System.DateTimeOffset', [['UtcDateTime', d], ['DateTime', d]]);
  o.toStringText = formatDate(d, 'M/d/yyyy h:mm:ss tt') + ' +00:00';
  o.methods = {
    tounixtimeseconds: () => Math.floor(d.getTime() / 1000),
    tounixtimemilliseconds: () => d.getTime(),
    tostring: ([f]) => (f === undefined ? o.toStringText! : formatDate(d, toStr(f))),
  };
  return o;
}

function fileOps(m: Machine, member: string, args: PsValue[]): PsValue {
  const fs = m.fs;
  const path = (i: number): string => fs.resolve(toStr(args[i]));
  const mustExist = (p: string): void => {
    const e = fs.entry(p);
    if (!e) fail(fs.entry(fs.parentOf(p)) ? `Could not find file '${p}'.` : `Could not find a part of the path '${p}'.`);
    if (e!.type === 'dir') fail(`Access to the path '${p}' is denied.`);
  };
  switch (member) {
    case 'readallbytes': mustExist(path(0)); return new Uint8Array(fs.read(path(0)));
    case 'readalltext': mustExist(path(0)); return fs.read(path(0)).toString('utf8').replace(/^\uFEFF/, '');
    case 'readalllines': mustExist(path(0)); return fs.read(path(0)).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l, i, a) => i < a.length - 1 || l !== '');
    case 'writeallbytes': fs.write(path(0), bytesOf(args[1])); return undefined;
    case 'writealltext': fs.write(path(0), Buffer.from(toStr(args[1]), 'utf8')); return undefined;
    case 'writealllines': fs.write(path(0), Buffer.from(enumerate(args[1]).map((l) => toStr(l) + '\r\n').join(''), 'utf8')); return undefined;
    case 'appendalltext': fs.write(path(0), Buffer.from(toStr(args[1]), 'utf8'), true); return undefined;
    case 'exists': return fs.entry(path(0))?.type === 'file';
    case 'delete': if (fs.exists(path(0))) fs.remove(path(0), false); return undefined;
    case 'move': mustExist(path(0)); fs.move(path(0), path(1), false); return undefined;
    case 'setlastwritetime': case 'setlastwritetimeutc': mustExist(path(0)); fs.touch(path(0), args[1] instanceof Date ? args[1] : new Date(toStr(args[1]))); return undefined;
    case 'copy': mustExist(path(0)); if (fs.exists(path(1)) && !args[2]) fail(`The file '${path(1)}' already exists.`); fs.write(path(1), fs.read(path(0))); return undefined;
    default: return fail(`no member ${member}`);
  }
}

function pathOps(m: Machine, member: string, args: PsValue[]): PsValue {
  const s = (i: number): string => toStr(args[i]).replace(/\//g, '\\');
  const temp = m.env.TEMP ?? 'C:\\Windows\\Temp';
  switch (member) {
    case 'gettemppath': return temp + '\\';
    case 'gettempfilename': {
      const p = `${temp}\\tmp${randomBytes(2).toString('hex').toUpperCase()}.tmp`;
      m.fs.write(p, Buffer.alloc(0));
      return p;
    }
    case 'getrandomfilename': return `${randomBytes(4).toString('hex')}.${randomBytes(2).toString('hex').slice(0, 3)}`;
    case 'combine': return args.map((_, i) => s(i)).reduce((acc, part) => (/^[A-Za-z]:\\|^\\/.test(part) ? part : acc === '' ? part : `${acc.replace(/\\$/, '')}\\${part}`), '');
    case 'getdirectoryname': {
      const p = s(0);
      const i = p.lastIndexOf('\\');
      if (/^[A-Za-z]:\\?$/.test(p)) return null;
      return i < 0 ? '' : i === 2 && p[1] === ':' ? p.slice(0, 3) : p.slice(0, i);
    }
    case 'getfilename': return s(0).slice(s(0).lastIndexOf('\\') + 1);
    case 'getextension': { const n = s(0).slice(s(0).lastIndexOf('\\') + 1); const d = n.lastIndexOf('.'); return d < 0 ? '' : n.slice(d); }
    case 'getfilenamewithoutextension': { const n = s(0).slice(s(0).lastIndexOf('\\') + 1); const d = n.lastIndexOf('.'); return d < 0 ? n : n.slice(0, d); }
    case 'getfullpath': return m.fs.resolve(s(0));
    case 'ispathrooted': return /^([A-Za-z]:)?\\/.test(s(0));
    case 'directoryseparatorchar': return '\\';
    default: return fail(`no member ${member}`);
  }
}

/** Reads or calls a static member; `args` null = property read. */
export function staticMember(m: Machine, type: string, member: string, args: PsValue[] | null): PsValue {
  const name = member.toLowerCase();
  const a = args ?? [];
  try {
    switch (type) {
      case 'convert':
        if (name === 'frombase64string') {
          const t = toStr(a[0]).replace(/\s+/g, '');
          if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) fail('The input is not a valid Base-64 string as it contains a non-base 64 character, more than two padding characters, or an illegal character among the padding characters. ');
          return new Uint8Array(Buffer.from(t, 'base64'));
        }
        if (name === 'tobase64string') return bytesOf(a[0]).toString('base64');
        if (name === 'toint32' || name === 'toint64') return a[1] !== undefined ? parseInt(toStr(a[0]), toNumber(a[1])) : Math.round(toNumber(a[0]));
        break;
      case 'io.file': return fileOps(m, name, a);
      case 'io.directory':
        if (name === 'exists') return m.fs.entry(toStr(a[0]))?.type === 'dir';
        if (name === 'createdirectory') { m.fs.mkdir(toStr(a[0])); return new PsObject('System.IO.DirectoryInfo', [['FullName', m.fs.resolve(toStr(a[0]))]]); }
        if (name === 'delete') { m.fs.remove(toStr(a[0]), !!a[1]); return undefined; }
        if ((name === 'setlastwritetime' || name === 'setlastwritetimeutc') && m.fs.entry(toStr(a[0]))?.type === 'dir') {
          m.fs.touch(toStr(a[0]), a[1] instanceof Date ? a[1] : new Date(toStr(a[1])));
          return undefined;
        }
        break;
      case 'io.path': return pathOps(m, name, a);
      case 'text.encoding':
        if (name === 'utf8') return encodingObject('UTF8', 'utf8');
        if (name === 'ascii') return encodingObject('ASCII', 'ascii');
        if (name === 'unicode') return encodingObject('Unicode', 'utf16le');
        if (name === 'default') return encodingObject('Default', 'latin1');
        break;
      case 'guid':
        if (name === 'newguid') return guidObject(randomUUID());
        if (name === 'empty') return guidObject('00000000-0000-0000-0000-000000000000');
        break;
      case 'environment':
        if (name === 'newline') return '\r\n';
        if (name === 'machinename') return m.state.computerName;
        if (name === 'username') return m.env.USERNAME ?? 'Administrator';
        if (name === 'processorcount') return 64;
        if (name === 'is64bitoperatingsystem' || name === 'is64bitprocess') return true;
        if (name === 'currentdirectory') return m.fs.cwd;
        if (name === 'getenvironmentvariable') return m.env[Object.keys(m.env).find((k) => k.toLowerCase() === toStr(a[0]).toLowerCase()) ?? ''] ?? null;
        if (name === 'setenvironmentvariable') { m.env[toStr(a[0])] = toStr(a[1]); return undefined; }
        break;
      case 'console':
        if (name === 'outputencoding' || name === 'inputencoding') return encodingObject('UTF8', 'utf8');
        if (name === 'in') return Object.assign(new PsObject('System.IO.TextReader'), { methods: { readtoend: () => m.stdin, readline: () => m.stdin.split(/\r?\n/)[0] ?? null } });
        break;
      case 'math': {
        const n = a.map((x) => toNumber(x, 'System.Double'));
        const fns: Record<string, () => number> = { floor: () => Math.floor(n[0]!), ceiling: () => Math.ceil(n[0]!), truncate: () => Math.trunc(n[0]!),
          round: () => (n[1] !== undefined ? Number(n[0]!.toFixed(n[1])) : Math.round(n[0]!)), max: () => Math.max(n[0]!, n[1]!), min: () => Math.min(n[0]!, n[1]!),
          abs: () => Math.abs(n[0]!), pow: () => n[0]! ** n[1]!, sqrt: () => Math.sqrt(n[0]!) };
        if (fns[name]) return fns[name]!();
        break;
      }
      case 'datetime':
        if (name === 'now' || name === 'utcnow') return new Date();
        if (name === 'parse') return new Date(toStr(a[0]));
        break;
      case 'datetimeoffset':
        if (name === 'new') return dateOffsetObject(a[0] instanceof Date ? a[0] : new Date(toStr(a[0])));
        if (name === 'now' || name === 'utcnow') return dateOffsetObject(new Date());
        if (name === 'fromunixtimeseconds') return dateOffsetObject(new Date(toNumber(a[0]) * 1000));
        break;
      case 'scriptblock':
        if (name === 'create') {
          try {
            return new PsScriptBlock(parseScript(toStr(a[0])));
          } catch (e) {
            if (e instanceof ParseError) fail(`At line:${e.pos.line} char:${e.pos.col}\r\n+ ${toStr(a[0]).split(/\r?\n/)[e.pos.line - 1] ?? ''}\r\n${e.message}`);
            throw e;
          }
        }
        break;
      case 'string':
        if (name === 'isnullorempty') return a[0] === null || a[0] === undefined || toStr(a[0]) === '';
        if (name === 'isnullorwhitespace') return a[0] === null || a[0] === undefined || toStr(a[0]).trim() === '';
        if (name === 'join') return enumerate(a.length > 2 ? a.slice(1) : a[1]).map(toStr).join(toStr(a[0]));
        if (name === 'empty') return '';
        if (name === 'format') return formatComposite(toStr(a[0]), a.length === 2 && Array.isArray(a[1]) ? a[1] : a.slice(1));
        if (name === 'new') return toStr(a[0]).repeat(toNumber(a[1] ?? 1));
        if (name === 'concat') return a.map(toStr).join('');
        break;
      case 'int': case 'long': case 'uint16': case 'uint32': case 'uint64': case 'byte': {
        const ranges: Record<string, [number, number]> = { int: [-2147483648, 2147483647], long: [-(2 ** 63), 2 ** 63 - 1], uint16: [0, 65535], uint32: [0, 4294967295], uint64: [0, 2 ** 64 - 1], byte: [0, 255] };
        if (name === 'maxvalue') return ranges[type]![1];
        if (name === 'minvalue') return ranges[type]![0];
        if (name === 'parse') return toNumber(a[0]);
        break;
      }
      case 'bitconverter':
        if (name === 'tostring') return [...bytesOf(a[0])].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('-');
        break;
      case 'security.cryptography.sha256':
        if (name === 'create') return Object.assign(new PsObject('System.Security.Cryptography.SHA256Managed'), { methods: { computehash: ([b]: PsValue[]) => new Uint8Array(createHash('sha256').update(bytesOf(b)).digest()), dispose: () => undefined } });
        break;
      case 'net.servicepointmanager':
        if (name === 'securityprotocol') return new PsEnum('System.Net.SecurityProtocolType', 'Tls12', 3072);
        break;
      case 'net.securityprotocoltype':
        if (name === 'tls12') return new PsEnum('System.Net.SecurityProtocolType', 'Tls12', 3072);
        if (name === 'tls13') return new PsEnum('System.Net.SecurityProtocolType', 'Tls13', 12288);
        break;
      case 'regex': case 'text.regularexpressions.regex':
        if (name === 'escape') return toStr(a[0]).replace(/[.*+?^${}()|[\]\\#\s]/g, (c) => (c === ' ' ? '\\ ' : '\\' + c));
        if (name === 'ismatch') return new RegExp(toStr(a[1])).test(toStr(a[0]));
        if (name === 'replace') return toStr(a[0]).replace(new RegExp(toStr(a[1]), 'g'), toStr(a[2]));
        break;
    }
  } catch (e) {
    if (e instanceof DotnetError) {
      throw new CmdletError(errorInfo(`Exception calling "${member}" with "${a.length}" argument(s): "${e.message}"`, 'NotSpecified', 'MethodInvocationException', 'MethodInvocationException'), true);
    }
    if (e instanceof CmdletError) {
      throw new CmdletError(errorInfo(`Exception calling "${member}" with "${a.length}" argument(s): "${e.info.message}"`, 'NotSpecified', 'MethodInvocationException', 'MethodInvocationException'), true);
    }
    throw e;
  }
  const what = args === null ? `property '${member}'` : `method named '${member}'`;
  throw new CmdletError(errorInfo(`The lab host's PowerShell does not model [${type}]::${member} (${what}); see POWERSHELL.md.`, 'InvalidOperation', 'MethodNotFound', 'RuntimeException'), true);
}

/** Assignment to a static property; only the ones scripts set for side effects are modelled. */
export function setStaticMember(m: Machine, type: string, member: string, value: PsValue): void {
  const name = member.toLowerCase();
  if (type === 'environment') {
    const key = Object.keys(m.env).find((k) => k.toLowerCase() === name) ?? member;
    if (value === null || value === undefined || value === '') delete m.env[key];
    else m.env[key] = toStr(value);
    return;
  }
  if (type === 'console' && (name === 'outputencoding' || name === 'inputencoding')) {
    m.consoleOutputEncoding = value instanceof PsObject ? toStr(value.get('WebName')) : toStr(value);
    return;
  }
  if (type === 'net.servicepointmanager' && name === 'securityprotocol') return;
  throw new CmdletError(errorInfo(`'${member}' is a ReadOnly property or not modelled on [${type}].`, 'InvalidOperation', 'PropertyAssignmentException', 'RuntimeException'), true);
}
