// File content cmdlets with Windows PowerShell 5.1's encodings: Get-Content (BOM-aware), Set-Content
// and Add-Content (default ANSI, UTF8 writes a BOM, Byte writes raw bytes), Out-File (default
// UTF-16LE with BOM), Get-FileHash; plus the registry property cmdlets.

import { createHash } from 'node:crypto';
import { CmdletError, errorInfo } from '../ps/errors.js';
import { formatOutput } from '../ps/format.js';
import { enumerate, toNumber, toStr, type PsValue } from '../ps/values.js';
import { missing, PATH_PARAMS, resolvePaths } from './files.js';
import { typed, type Cmdlet } from './machine.js';
import { isRegistryPath, Registry } from './registry.js';
import { kindParam, registryValueOf } from './registry-values.js';

const MGMT = 'Microsoft.PowerShell.Management';
const cmd = (n: string): string => `Microsoft.PowerShell.Commands.${n}Command`;
const ENCODINGS = ['Default', 'UTF8', 'UTF8NoBOM', 'UTF8BOM', 'ASCII', 'Unicode', 'BigEndianUnicode', 'UTF32', 'UTF7', 'OEM', 'Byte', 'String', 'Unknown'];

export function decodeText(data: Buffer): string {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return data.subarray(3).toString('utf8');
  if (data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString('utf16le');
  return data.toString('utf8');
}

export function encodeText(text: string, encoding: string): Buffer {
  switch (encoding.toLowerCase()) {
    case 'utf8': case 'utf8bom': return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf8nobom': return Buffer.from(text, 'utf8');
    case 'unicode': case 'string': case 'unknown': return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'ascii': return Buffer.from(text.replace(/[^\x00-\x7f]/g, '?'), 'ascii');
    default: return Buffer.from(text.replace(/[^\x00-\xff]/g, '?'), 'latin1');
  }
}

function contentBytes(value: PsValue, encoding: string, noNewline: boolean): Buffer {
  if (encoding.toLowerCase() === 'byte') {
    if (value instanceof Uint8Array) return Buffer.from(value);
    return Buffer.from(enumerate(value).map((b) => toNumber(b) & 0xff));
  }
  const lines = enumerate(value).map(toStr);
  return encodeText(noNewline ? lines.join('') : lines.map((l) => l + '\r\n').join(''), encoding);
}

function writer(name: 'Set-Content' | 'Add-Content'): Cmdlet {
  return {
    name, module: MGMT, commandType: cmd(name.replace('-', '')), input: 'all', supportsShouldProcess: true,
    params: [...PATH_PARAMS.map((p) => ({ ...p, pipeline: undefined })), { name: 'Value', type: 'any', position: 1, pipeline: { byValue: true } },
      { name: 'Encoding', type: 'string', validateSet: ENCODINGS }, { name: 'NoNewline', type: 'switch' }, { name: 'Force', type: 'switch' }],
    run(ctx, a, input) {
      const value = ctx.bound('Value') ? a['Value'] : input;
      const data = contentBytes(value, toStr(a['Encoding'] ?? 'Default'), !!a['NoNewline']);
      for (const p of resolvePaths(ctx, a, false)) {
        if (ctx.shouldProcess(p, name === 'Set-Content' ? 'Set Content' : 'Add Content')) ctx.machine.fs.write(p, data, name === 'Add-Content');
      }
    },
  };
}

export const contentCmdlets: Cmdlet[] = [
  {
    name: 'Get-Content', module: MGMT, commandType: cmd('GetContent'), input: 'each',
    params: [...PATH_PARAMS, { name: 'Raw', type: 'switch' }, { name: 'Encoding', type: 'string', validateSet: ENCODINGS },
      { name: 'TotalCount', aliases: ['First', 'Head'], type: 'long' }, { name: 'Tail', aliases: ['Last'], type: 'int' }, { name: 'ReadCount', type: 'long' }],
    run(ctx, a) {
      for (const p of resolvePaths(ctx, a)) {
        let data: Buffer;
        try {
          data = ctx.machine.fs.read(p);
        } catch (e) {
          if (e instanceof CmdletError) {
            ctx.writeError(e.info);
            continue;
          }
          throw e;
        }
        if (toStr(a['Encoding'] ?? '').toLowerCase() === 'byte') {
          if (a['Raw'] || (a['ReadCount'] !== undefined && toNumber(a['ReadCount']) === 0)) ctx.write(new Uint8Array(data), true);
          else ctx.write([...data]);
          continue;
        }
        const text = decodeText(data);
        if (a['Raw']) {
          ctx.write(text);
          continue;
        }
        let lines = text.split(/\r?\n/);
        if (lines[lines.length - 1] === '') lines.pop();
        if (a['TotalCount'] !== undefined) lines = lines.slice(0, toNumber(a['TotalCount']));
        if (a['Tail'] !== undefined) lines = lines.slice(Math.max(0, lines.length - toNumber(a['Tail'])));
        ctx.write(lines);
      }
    },
  },
  writer('Set-Content'),
  writer('Add-Content'),
  {
    name: 'Out-File', module: 'Microsoft.PowerShell.Utility', commandType: cmd('OutFile'), input: 'all', supportsShouldProcess: true,
    params: [{ name: 'FilePath', aliases: ['Path'], type: 'string', position: 0, mandatory: true }, { name: 'Encoding', type: 'string', position: 1, validateSet: ENCODINGS },
      { name: 'Append', type: 'switch' }, { name: 'Force', type: 'switch' }, { name: 'NoNewline', type: 'switch' }, { name: 'InputObject', type: 'any', pipeline: { byValue: true } }],
    run(ctx, a, input) {
      const items = ctx.bound('InputObject') ? [a['InputObject']] : input;
      const text = a['NoNewline'] ? items.map(toStr).join('') : formatOutput(items);
      const p = toStr(a['FilePath']);
      if (ctx.shouldProcess(p, 'Output to File')) ctx.machine.fs.write(p, encodeText(text, toStr(a['Encoding'] ?? 'Unicode')), !!a['Append']);
    },
  },
  {
    name: 'Get-FileHash', module: 'Microsoft.PowerShell.Utility', commandType: cmd('GetFileHash'), input: 'each',
    params: [...PATH_PARAMS, { name: 'Algorithm', type: 'string', validateSet: ['SHA1', 'SHA256', 'SHA384', 'SHA512', 'MD5'] }],
    run(ctx, a) {
      const alg = toStr(a['Algorithm'] ?? 'SHA256').toUpperCase();
      for (const p of resolvePaths(ctx, a)) {
        const e = ctx.machine.fs.entry(p);
        if (!e || e.type !== 'file') {
          ctx.writeError(missing(p));
          continue;
        }
        const hash = createHash(alg.toLowerCase()).update(ctx.machine.fs.read(p)).digest('hex').toUpperCase();
        ctx.write(typed('Microsoft.Powershell.Utility.FileHash', [['Algorithm', alg], ['Hash', hash], ['Path', e.path]]));
      }
    },
  },
  {
    name: 'Get-ItemProperty', module: MGMT, commandType: cmd('GetItemProperty'), input: 'each',
    params: [...PATH_PARAMS, { name: 'Name', type: 'string[]', position: 1 }],
    run(ctx, a) {
      const reg = new Registry(ctx.machine);
      const names = a['Name'] !== undefined ? enumerate(a['Name']).map(toStr) : undefined;
      for (const p of resolvePaths(ctx, a)) {
        if (!isRegistryPath(p)) {
          ctx.writeError(errorInfo(`The lab host models item properties only for the HKLM: registry drive (path '${p}').`, 'NotImplemented', 'NotSupported', 'PSNotSupportedException', p));
          continue;
        }
        try {
          const o = reg.propertyObject(p, names);
          if (o) ctx.write(o);
        } catch (e) {
          if (e instanceof CmdletError) ctx.writeError(e.info);
          else throw e;
        }
      }
    },
  },
  {
    name: 'Get-ItemPropertyValue', module: MGMT, commandType: cmd('GetItemPropertyValue'), input: 'each',
    params: [...PATH_PARAMS, { name: 'Name', type: 'string[]', position: 1, mandatory: true }],
    run(ctx, a) {
      const reg = new Registry(ctx.machine);
      for (const p of resolvePaths(ctx, a)) {
        const o = reg.propertyObject(p, enumerate(a['Name']).map(toStr));
        for (const n of enumerate(a['Name']).map(toStr)) ctx.write(o?.get(n) ?? null);
      }
    },
  },
  {
    name: 'Set-ItemProperty', module: MGMT, commandType: cmd('SetItemProperty'), input: 'each', supportsShouldProcess: true,
    params: [...PATH_PARAMS, { name: 'Name', type: 'string', position: 1, mandatory: true }, { name: 'Value', type: 'any', position: 2 }, { name: 'Type', type: 'string' }],
    run(ctx, a) {
      const reg = new Registry(ctx.machine);
      const kind = kindParam(a['Type']);
      for (const p of resolvePaths(ctx, a)) {
        const v = a['Value'];
        const name = toStr(a['Name']);
        // Without -Type an existing value keeps its kind; a new one is a String (a DWord for a number).
        const stored = new Registry(ctx.machine).keyExists(p) ? reg.valueName(p, name) : undefined;
        const as = kind ?? (stored !== undefined ? reg.kindOf(p, stored) : typeof v === 'number' ? 'DWord' : Array.isArray(v) ? 'MultiString' : v instanceof Uint8Array ? 'Binary' : 'String');
        if (ctx.shouldProcess(p, 'Set Property')) reg.setValue(p, name, registryValueOf(v ?? null, as), as);
      }
    },
  },
];
