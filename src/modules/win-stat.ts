// win_stat: reports a Windows path's properties in Ansible's `stat` dictionary (ansible.windows.win_stat);
// reads only, never changes. Times are seconds since the epoch, the checksum a lowercase hex digest.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { emitJson, q, requireWindows, runJson } from './lib/win-script.js';

const ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'] as const;

const schema = Type.Object(
  {
    path: Type.Optional(Type.String({ description: 'The path to inspect (aliases: dest, name).' })),
    dest: Type.Optional(Type.String({ description: 'Alias of path.' })),
    name: Type.Optional(Type.String({ description: 'Alias of path.' })),
    get_checksum: Type.Optional(Type.Boolean({ description: 'Include the checksum of a file (default true).' })),
    checksum_algorithm: Type.Optional(Type.Union(ALGORITHMS.map((a) => Type.Literal(a)), { description: 'Checksum algorithm (default sha1, as Ansible).' })),
    get_size: Type.Optional(Type.Boolean({ description: 'Include the size of a directory (the sum of the files below it; default true).' })),
    follow: Type.Optional(Type.Boolean({ description: 'Accepted for compatibility: the lab disk and fleetplay report the link itself.' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const pathOf = (a: { path?: string; dest?: string; name?: string }): string => a.path ?? a.dest ?? a.name ?? '';

export function winStatScript(path: string, checksum: string | false, dirSize: boolean): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    `$item = Get-Item -LiteralPath ${q(path)} -Force -ErrorAction SilentlyContinue`,
    '$st = [ordered]@{ exists = $false }',
    'if ($null -ne $item) {',
    '  $st.exists = $true',
    '  $st.path = $item.FullName',
    '  $st.filename = $item.Name',
    '  $st.isdir = [bool]$item.PSIsContainer',
    '  $st.isreg = -not $item.PSIsContainer',
    "  $st.islnk = $item.LinkType -eq 'SymbolicLink' -or $item.LinkType -eq 'Junction'",
    '  $st.attributes = [string]$item.Attributes',
    '  $st.lastwritetime = [DateTimeOffset]::new($item.LastWriteTimeUtc).ToUnixTimeSeconds()',
    '  $st.creationtime = [DateTimeOffset]::new($item.CreationTimeUtc).ToUnixTimeSeconds()',
    '  if ($item.PSIsContainer) {',
    dirSize ? '    $st.size = [long](Get-ChildItem -LiteralPath $item.FullName -Recurse -File -Force | Measure-Object -Property Length -Sum).Sum' : '',
    '  } else {',
    '    $st.size = $item.Length',
    '    $st.extension = $item.Extension',
    checksum ? `    $st.checksum = (Get-FileHash -LiteralPath $item.FullName -Algorithm ${checksum.toUpperCase()}).Hash.ToLower()` : '',
    '  }',
    '}',
    emitJson('$st'),
  ].filter(Boolean).join('\n');
}

export const winStat: Module<Args, Record<string, unknown>, never> = {
  meta: {
    name: 'win_stat',
    aliases: ['ansible.windows.win_stat'],
    description: "Report a Windows path's properties (exists, isdir, size, checksum, lastwritetime, ...) for later tasks.",
    platforms: ['windows'],
    checkMode: 'full',
    example: 'win_stat:\n  path: C:\\Windows\\Temp\\MLNX_WinOF2.exe\nregister: installer',
    returns: {
      stat: 'exists, path, filename, extension, isdir, isreg, islnk, size, checksum (when asked), lastwritetime, creationtime, attributes.',
    },
  },
  schema,
  async read(ctx, args) {
    requireWindows(ctx, 'win_stat');
    const path = pathOf(args);
    if (!path) throw new Error('win_stat needs path');
    const checksum = args.get_checksum === false ? false : (args.checksum_algorithm ?? 'sha1');
    return runJson<Record<string, unknown>>(ctx, winStatScript(path, checksum, args.get_size !== false), `win_stat ${path}`);
  },
  plan(args, current) {
    const path = pathOf(args);
    return { changes: [], reason: current.exists ? `${path} exists` : `${path} does not exist`, result: { stat: current } };
  },
  async apply() {
    return { changed: false };
  },
};
