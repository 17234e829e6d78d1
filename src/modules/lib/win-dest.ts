// Putting known content at a Windows destination, the part win_copy and win_template share: one
// round trip reads what is there (kind, sha1, and the content of a small file for --diff), the plan
// compares checksums, and apply writes through the connection's atomic write (temp file + rename).
import Type from 'typebox';
import type { ApplyResult, DiffItem, HostContext, Plan } from '../../engine/contract/module.js';
import { contentDiff, sha1 } from './content.js';
import { emitJson, q, runAction, runJson } from './win-script.js';

export const WinDestProperties = {
  backup: Type.Optional(Type.Boolean({ description: 'Keep a timestamped copy of the old file when it changes.' })),
  force: Type.Optional(Type.Boolean({ description: 'Replace a file whose content differs (default true); false = only create it when absent.' })),
};

/** Files up to this size come back whole so --diff can show lines; larger ones only by checksum. */
const DIFF_FETCH_BYTES = 64 * 1024;

export interface WinDestCurrent {
  /** Final path: a directory dest resolved to dest\basename. */
  dest: string;
  desired: Buffer;
  kind: 'file' | 'directory' | 'absent';
  checksum?: string;
  data?: Buffer;
  /** The directory the file goes in must be created (dest ended in a backslash). */
  makeDir?: string;
  error?: string;
}

export interface WinDestChange {
  path: string;
  data: Buffer;
  backup: boolean;
  makeDir?: string;
}

interface Probe {
  kind: 'file' | 'directory' | 'absent';
  path: string;
  checksum?: string;
  b64?: string;
  parent: boolean;
}

function probeScript(path: string, basename: string): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    `$p = ${q(path)}`,
    '$item = Get-Item -LiteralPath $p -Force -ErrorAction SilentlyContinue',
    // An existing directory (or a dest ending in a separator) receives the file under its own name.
    `if (($null -ne $item -and $item.PSIsContainer) -or $p.EndsWith('\\') -or $p.EndsWith('/')) { $p = Join-Path $p ${q(basename)}; $item = Get-Item -LiteralPath $p -Force -ErrorAction SilentlyContinue }`,
    '$r = [ordered]@{ kind = "absent"; path = $p; parent = (Test-Path -LiteralPath (Split-Path -Path $p -Parent) -PathType Container) }',
    'if ($null -ne $item) {',
    '  $r.path = $item.FullName',
    '  if ($item.PSIsContainer) { $r.kind = "directory" } else {',
    '    $r.kind = "file"',
    '    $r.checksum = (Get-FileHash -LiteralPath $item.FullName -Algorithm SHA1).Hash.ToLower()',
    `    if ($item.Length -le ${DIFF_FETCH_BYTES}) { $r.b64 = [System.Convert]::ToBase64String([System.IO.File]::ReadAllBytes($item.FullName)) }`,
    '  }',
    '}',
    emitJson('$r'),
  ].join('\n');
}

export async function readWinDest(ctx: HostContext, dest: string, desired: Buffer, basename: string, module: string): Promise<WinDestCurrent> {
  const p = await runJson<Probe>(ctx, probeScript(dest, basename), `${module}: reading ${dest}`);
  const cur: WinDestCurrent = { dest: p.path, desired, kind: p.kind };
  if (p.checksum) cur.checksum = p.checksum;
  if (p.b64 !== undefined) cur.data = Buffer.from(p.b64, 'base64');
  if (p.kind === 'absent' && !p.parent) {
    const parent = p.path.slice(0, p.path.lastIndexOf('\\'));
    if (/[\\/]$/.test(dest)) cur.makeDir = parent;
    else cur.error = `Destination directory '${parent}' does not exist`;
  }
  return cur;
}

export function planWinDest(args: { backup?: boolean; force?: boolean }, cur: WinDestCurrent): Plan<WinDestChange> {
  const checksum = sha1(cur.desired);
  const result = { dest: cur.dest, checksum, size: cur.desired.length };
  if (cur.error) return { changes: [], failed: cur.error };
  if (cur.kind === 'directory') return { changes: [], failed: `cannot write to ${cur.dest}: it is a directory` };
  if (cur.kind === 'file' && cur.checksum === checksum) return { changes: [], reason: `${cur.dest} already has this content (sha1 ${checksum})`, result };
  if (cur.kind === 'file' && args.force === false) return { changes: [], reason: `${cur.dest} exists and force is false`, result };
  const diff: DiffItem[] = [
    cur.kind === 'file' && cur.data === undefined
      ? { kind: 'fields', label: cur.dest, fields: [{ key: 'checksum', before: cur.checksum, after: checksum }] }
      : contentDiff(cur.dest, cur.kind === 'file' ? cur.data : undefined, cur.desired),
  ];
  const change: WinDestChange = { path: cur.dest, data: cur.desired, backup: args.backup === true && cur.kind === 'file', ...(cur.makeDir ? { makeDir: cur.makeDir } : {}) };
  return { changes: [change], diff, result, reason: `${cur.kind === 'file' ? 'replace' : 'create'} ${cur.dest} (${cur.desired.length} bytes)` };
}

export async function applyWinDest(ctx: HostContext, plan: Plan<WinDestChange>, module: string): Promise<ApplyResult> {
  const c = plan.changes[0]!;
  if (c.makeDir) {
    const r = await runAction(ctx, `$ErrorActionPreference = 'Stop'\nNew-Item -Path ${q(c.makeDir)} -ItemType Directory -Force | Out-Null`);
    if (r.error) return { failed: `${module}: cannot create ${c.makeDir}: ${r.error}` };
  }
  const w = await ctx.writeFile(c.path, c.data, { backup: c.backup });
  return { result: { ...plan.result, ...(w.backupPath ? { backup_file: w.backupPath } : {}) } };
}
