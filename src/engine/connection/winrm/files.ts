// File operations on a Windows host, written in PowerShell. Content travels base64-encoded (stdout
// for reads, stdin for writes), writes are atomic (a temp file in the same folder, then Move-Item
// -Force over the target), and every path goes through psQuote.
import type { FileStat } from '../../contract/connection.js';
import { psQuote } from '../quote.js';
import { base64Lines } from './powershell.js';

const ABSENT = 'FLEETPLAY-ABSENT';

/** Emits one JSON line describing `$fpItem` (already resolved with Get-Item). */
// LinkType is also "HardLink" for ordinary files with several names: only symlinks and junctions are links.
const STAT_JSON = [
  "$fpIsLink = $fpItem.LinkType -eq 'SymbolicLink' -or $fpItem.LinkType -eq 'Junction'",
  '$fpType = if ($fpIsLink) { "link" } elseif ($fpItem.PSIsContainer) { "directory" } else { "file" }',
  '$fpStat = [ordered]@{ exists = $true; type = $fpType; mtime = [DateTimeOffset]::new($fpItem.LastWriteTimeUtc).ToUnixTimeSeconds() }',
  'if (-not $fpItem.PSIsContainer) { $fpStat.size = $fpItem.Length }',
  'if ($fpIsLink) { $fpStat.linkTarget = [string]($fpItem.Target | Select-Object -First 1) }',
  '$fpStat | ConvertTo-Json -Compress',
].join('\n');

function getItem(path: string): string {
  return [
    `$fpItem = Get-Item -LiteralPath ${psQuote(path)} -Force -ErrorAction SilentlyContinue`,
    `if ($null -eq $fpItem) { '${ABSENT}'; exit 0 }`,
  ].join('\n');
}

export function statScript(path: string): string {
  return [getItem(path), STAT_JSON].join('\n');
}

export function readScript(path: string): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    getItem(path),
    'if ($fpItem.PSIsContainer) { throw "is a directory: $($fpItem.FullName)" }',
    STAT_JSON,
    '[System.Convert]::ToBase64String([System.IO.File]::ReadAllBytes($fpItem.FullName))',
  ].join('\n');
}

export function parseStat(stdout: string): FileStat {
  const line = firstLine(stdout);
  if (line === ABSENT) return { exists: false };
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`unexpected stat output from the host: ${line.slice(0, 200)}`);
  }
  const stat: FileStat = { exists: true, type: raw.type as FileStat['type'] };
  if (typeof raw.size === 'number') stat.size = raw.size;
  if (typeof raw.mtime === 'number') stat.mtime = raw.mtime;
  if (typeof raw.linkTarget === 'string' && raw.linkTarget) stat.linkTarget = raw.linkTarget;
  return stat;
}

export function parseRead(stdout: string): { data: Buffer; stat: FileStat } | null {
  const lines = stdout.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] === ABSENT) return null;
  const stat = parseStat(lines[0] ?? '');
  return { stat, data: Buffer.from(lines.slice(1).join(''), 'base64') };
}

export interface WriteScriptOptions {
  backup?: boolean;
}

/** The script half of a write; the content goes in as stdin (see writeStdin). */
export function writeScript(path: string, opts: WriteScriptOptions = {}): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    `$fpPath = ${psQuote(path)}`,
    '$fpDir = [System.IO.Path]::GetDirectoryName($fpPath)',
    'if ($fpDir -and -not (Test-Path -LiteralPath $fpDir -PathType Container)) { throw "directory does not exist: $fpDir" }',
    "$fpTmp = [System.IO.Path]::Combine($fpDir, '.fleetplay-' + [guid]::NewGuid().ToString('N') + '.tmp')",
    "$fpBytes = [System.Convert]::FromBase64String((@($input) -join ''))",
    'try {',
    '  [System.IO.File]::WriteAllBytes($fpTmp, $fpBytes)',
    opts.backup
      ? "  if (Test-Path -LiteralPath $fpPath -PathType Leaf) { $fpBak = $fpPath + '.' + (Get-Date -Format 'yyyyMMdd-HHmmss') + '.bak'; Copy-Item -LiteralPath $fpPath -Destination $fpBak -Force; 'BACKUP:' + $fpBak }"
      : '',
    '  Move-Item -LiteralPath $fpTmp -Destination $fpPath -Force',
    '} finally {',
    '  if (Test-Path -LiteralPath $fpTmp) { Remove-Item -LiteralPath $fpTmp -Force -ErrorAction SilentlyContinue }',
    '}',
  ]
    .filter(Boolean)
    .join('\n');
}

export function writeStdin(data: Buffer): Buffer {
  return base64Lines(data);
}

export function parseWrite(stdout: string): { backupPath?: string } {
  const m = /^BACKUP:(.+)$/m.exec(stdout);
  return m ? { backupPath: m[1]!.trim() } : {};
}

function firstLine(s: string): string {
  return (s.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim().length > 0) ?? '').trim();
}
