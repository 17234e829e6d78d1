// win_regedit: makes a registry key, or one value of it with its data and kind, present or absent
// (ansible.windows.win_regedit). Data is normalized per kind before comparing (dword as a 32-bit
// integer, binary as bytes, multistring as lines), so a second run with the same task changes nothing.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { emitJson, q, requireWindows, runAction, runJson } from './lib/win-script.js';

const TYPES = ['string', 'expandstring', 'dword', 'qword', 'multistring', 'binary'] as const;
type RegType = (typeof TYPES)[number];
const KIND: Record<RegType, string> = { string: 'String', expandstring: 'ExpandString', dword: 'DWord', qword: 'QWord', multistring: 'MultiString', binary: 'Binary' };

const schema = Type.Object(
  {
    path: Type.Optional(Type.String({ description: 'The registry key, e.g. HKLM:\\SOFTWARE\\Fleetplay (alias: key).' })),
    key: Type.Optional(Type.String({ description: 'Alias of path.' })),
    name: Type.Optional(Type.String({ description: 'The value to manage in the key; omitted: the key itself (aliases: entry, value).' })),
    entry: Type.Optional(Type.String({ description: 'Alias of name.' })),
    value: Type.Optional(Type.String({ description: 'Alias of name.' })),
    data: Type.Optional(Type.Unknown({ description: 'The data: text, an integer or 0x hex string (dword/qword), a list of lines (multistring), a list of bytes or hex:be,ef (binary).' })),
    type: Type.Optional(Type.Union(TYPES.map((t) => Type.Literal(t)), { description: 'The kind of the value (default string; alias: datatype).' })),
    datatype: Type.Optional(Type.Union(TYPES.map((t) => Type.Literal(t)), { description: 'Alias of type.' })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present (default) or absent.' })),
    delete_key: Type.Optional(Type.Boolean({ description: 'state: absent without name — remove the key with its subkeys (default true).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;
type Data = string | number | string[] | number[];

interface Current {
  path: string;
  name?: string;
  key: boolean;
  exists: boolean;
  type?: string;
  data?: Data;
}

type Change = { op: 'key'; path: string } | { op: 'remove-key'; path: string } | { op: 'remove-value'; path: string; name: string } | { op: 'set'; path: string; name: string; type: RegType; data: Data };

/** HKLM\X and HKEY_LOCAL_MACHINE\X become the PowerShell drive path HKLM:\X. */
export function regPath(p: string): string {
  return p.replace(/^HKEY_LOCAL_MACHINE\\/i, 'HKLM:\\').replace(/^(HKLM|HKCU|HKCR|HKU|HKCC)\\/i, '$1:\\');
}

const int = (v: unknown, what: string): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?(0x[0-9a-f]+|\d+)\s*$/i.test(v) ? Number(v.trim()) : NaN;
  if (!Number.isInteger(n)) throw new Error(`data ${JSON.stringify(v)} is not an integer for a ${what} value`);
  return n;
};

/** The data as the registry will hand it back for `type`. */
export function normalizeData(type: RegType, data: unknown): Data {
  switch (type) {
    case 'string': case 'expandstring':
      return data === undefined || data === null ? '' : String(data);
    case 'dword': {
      const n = data === undefined || data === null ? 0 : int(data, 'dword');
      if (n < -2147483648 || n > 0xffffffff) throw new Error(`data ${n} does not fit a dword (32 bits)`);
      return n | 0;
    }
    case 'qword':
      return data === undefined || data === null ? 0 : int(data, 'qword');
    case 'multistring':
      return data === undefined || data === null ? [] : (Array.isArray(data) ? data : [data]).map(String);
    case 'binary': {
      const parts = data === undefined || data === null || data === '' ? [] : Array.isArray(data) ? data : String(data).replace(/^hex:/i, '').split(',');
      return parts.map((b) => {
        const n = typeof b === 'number' ? b : parseInt(String(b).trim().replace(/^0x/i, ''), 16);
        if (!Number.isInteger(n) || n < 0 || n > 255) throw new Error(`binary data ${JSON.stringify(b)} is not a byte (00-ff)`);
        return n;
      });
    }
  }
}

function literal(type: RegType, data: Data): string {
  switch (type) {
    case 'string': case 'expandstring': return q(data as string);
    case 'dword': return `([int]${data as number})`;
    case 'qword': return `([long]${data as number})`;
    case 'multistring': return `([string[]]@(${(data as string[]).map(q).join(', ')}))`;
    case 'binary': return `([byte[]]@(${(data as number[]).join(', ')}))`;
  }
}

export function regeditScript(c: Change): string {
  const p = q(c.path);
  const lines = ["$ErrorActionPreference = 'Stop'"];
  if (c.op === 'remove-key') lines.push(`Remove-Item -LiteralPath ${p} -Recurse -Force`);
  else if (c.op === 'remove-value') lines.push(`Remove-ItemProperty -LiteralPath ${p} -Name ${q(c.name)}`);
  else {
    lines.push(`if (-not (Test-Path -LiteralPath ${p})) { New-Item -Path ${p} -Force | Out-Null }`);
    if (c.op === 'set') lines.push(`New-ItemProperty -LiteralPath ${p} -Name ${q(c.name)} -Value ${literal(c.type, c.data)} -PropertyType ${KIND[c.type]} -Force | Out-Null`);
  }
  return lines.join('\n');
}

function readScript(path: string, name: string | undefined): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    `$r = [ordered]@{ key = [bool](Test-Path -LiteralPath ${q(path)}); exists = $false }`,
    name === undefined ? '' : [
      'if ($r.key) {',
      `  $k = Get-Item -LiteralPath ${q(path)}`,
      `  if ($k.GetValueNames() -contains ${q(name)}) {`,
      '    $r.exists = $true',
      `    $r.type = [string]$k.GetValueKind(${q(name)})`,
      // Kept as stored: %VARS% in an expandstring are data, not to be expanded here.
      `    $r.data = $k.GetValue(${q(name)}, $null, 'DoNotExpandEnvironmentNames')`,
      '  }',
      '}',
    ].join('\n'),
    emitJson('$r'),
  ].filter(Boolean).join('\n');
}

export const winRegedit: Module<Args, Current, Change> = {
  meta: {
    name: 'win_regedit',
    aliases: ['ansible.windows.win_regedit'],
    description: 'Make a registry key, or a value in it with its data and type, present or absent on a Windows host.',
    platforms: ['windows'],
    checkMode: 'full',
    example: ['win_regedit:', '  path: HKLM:\\SOFTWARE\\Fleetplay\\Gpu', '  name: PartitionCount', '  data: 4', '  type: dword'].join('\n'),
    returns: { data_changed: 'Whether the data of the value changed.', data_type_changed: 'Whether the kind of the value changed.' },
  },
  schema,
  async read(ctx, args) {
    requireWindows(ctx, 'win_regedit');
    const raw = args.path ?? args.key;
    if (!raw) throw new Error('win_regedit needs path');
    const path = regPath(raw);
    const name = args.name ?? args.entry ?? args.value;
    const cur = await runJson<Omit<Current, 'path' | 'name'>>(ctx, readScript(path, name), `win_regedit reading ${path}`);
    return { path, ...(name !== undefined ? { name } : {}), ...cur };
  },
  plan(args, cur) {
    const { path, name } = cur;
    const none = { data_changed: false, data_type_changed: false };
    if ((args.state ?? 'present') === 'absent') {
      if (name === undefined) {
        if (!cur.key) return { changes: [], reason: `${path} does not exist`, result: none };
        if (args.delete_key === false) return { changes: [], reason: `${path} kept (delete_key: false)`, result: none };
        return { changes: [{ op: 'remove-key', path }], reason: `remove ${path} and its subkeys`, result: none, diff: [{ kind: 'fields', label: path, fields: [{ key: 'key', before: 'present', after: 'absent' }] }] };
      }
      if (!cur.exists) return { changes: [], reason: `${path} has no value ${name}`, result: none };
      return { changes: [{ op: 'remove-value', path, name }], reason: `remove ${name} from ${path}`, result: none, diff: [{ kind: 'fields', label: `${path}\\${name}`, fields: [{ key: 'data', before: cur.data, after: '(absent)' }] }] };
    }
    if (name === undefined) {
      return cur.key ? { changes: [], reason: `${path} exists`, result: none } : { changes: [{ op: 'key', path }], reason: `create ${path}`, result: none };
    }
    const type = args.type ?? args.datatype ?? 'string';
    let data: Data;
    try {
      data = normalizeData(type, args.data);
    } catch (e) {
      return { changes: [], failed: `win_regedit ${path}\\${name}: ${(e as Error).message}` };
    }
    const typeChanged = cur.exists && cur.type?.toLowerCase() !== type;
    const dataChanged = !cur.exists || JSON.stringify(cur.data) !== JSON.stringify(data);
    const result = { data_changed: dataChanged, data_type_changed: typeChanged };
    if (cur.exists && !typeChanged && !dataChanged) return { changes: [], reason: `${path}\\${name} is already ${JSON.stringify(data)} (${type})`, result };
    return {
      changes: [{ op: 'set', path, name, type, data }],
      reason: `${cur.exists ? 'set' : 'create'} ${path}\\${name} = ${JSON.stringify(data)} (${type})`,
      result,
      diff: [{ kind: 'fields', label: `${path}\\${name}`, fields: [
        { key: 'data', before: cur.exists ? cur.data : '(absent)', after: data },
        ...(typeChanged || !cur.exists ? [{ key: 'type', before: cur.exists ? cur.type?.toLowerCase() : '(absent)', after: type }] : []),
      ] }],
    };
  },
  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    const r = await runAction(ctx, regeditScript(c));
    if (r.error) return { failed: `win_regedit ${c.path}: ${r.error}`, result: plan.result };
    return { result: plan.result };
  },
};
