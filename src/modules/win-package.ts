// win_package: installs or removes an MSI or an EXE installer (ansible.windows.win_package). Whether
// the product is installed is read the Windows way, from its Uninstall key (product_id, 64- and 32-bit
// views), and/or from creates_path / creates_service / creates_version, so a second run does nothing.
// A URL path is downloaded to a temporary file only when an install or removal actually runs (never
// in check mode) and deleted afterwards. Exit 3010 means installed with a restart pending:
// reboot_required is returned, the host is not restarted (win_reboot does that).
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { emitJson, q, requireWindows, runJson } from './lib/win-script.js';

const schema = Type.Object(
  {
    path: Type.Optional(Type.String({ description: 'The .msi or .exe on the host, or an http(s) URL to download it from.' })),
    product_id: Type.Optional(Type.String({ description: "The product's Uninstall key name: an MSI product code ({GUID}) or an EXE's key." })),
    arguments: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Arguments for the installer (for an MSI: added after /qn /norestart, e.g. PROPERTY=value).' })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present (default) or absent.' })),
    creates_path: Type.Optional(Type.String({ description: 'Installed means this file or folder exists.' })),
    creates_service: Type.Optional(Type.String({ description: 'Installed means this service exists.' })),
    creates_version: Type.Optional(Type.String({ description: "Installed means the file at creates_path has this file version (VersionInfo.FileVersion)." })),
    expected_return_code: Type.Optional(Type.Array(Type.Integer(), { description: 'Exit codes that mean success (default [0, 3010]; 3010 = restart required).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

const UNINSTALL = ['HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall', 'HKLM:\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall'];

export interface PackageFacts {
  product: { name: string; version: string; uninstall_string: string } | null;
  path_exists: boolean | null;
  creates_path: boolean | null;
  creates_service: boolean | null;
  file_version: string | null;
}

export interface PackageChange {
  op: 'install' | 'uninstall';
  /** The program to start and its arguments; `$file` in them is the (downloaded) package. */
  program: string;
  argumentList: string[];
  path?: string;
  url?: string;
  expected: number[];
  what: string;
}

const isUrl = (p: string): boolean => /^https?:\/\//i.test(p);
const isMsi = (p: string): boolean => /\.msi(\?.*)?$/i.test(p);
const argText = (a: Args['arguments']): string => (Array.isArray(a) ? a.map((x) => (/\s/.test(x) ? `"${x}"` : x)).join(' ') : a ?? '');

export function readPackageScript(args: Args): string {
  const lines = ["$ErrorActionPreference = 'Stop'", '$r = [ordered]@{ product = $null; path_exists = $null; creates_path = $null; creates_service = $null; file_version = $null }'];
  if (args.product_id) {
    lines.push(`foreach ($k in @(${UNINSTALL.map((u) => q(`${u}\\${args.product_id}`)).join(', ')})) {`,
      '  if (Test-Path -LiteralPath $k) { $p = Get-ItemProperty -LiteralPath $k; $r.product = [ordered]@{ name = [string]$p.DisplayName; version = [string]$p.DisplayVersion; uninstall_string = [string]$p.UninstallString }; break }',
      '}');
  }
  if (args.path && !isUrl(args.path)) lines.push(`$r.path_exists = Test-Path -LiteralPath ${q(args.path)} -PathType Leaf`);
  if (args.creates_path) {
    lines.push(`$r.creates_path = Test-Path -LiteralPath ${q(args.creates_path)}`);
    if (args.creates_version) lines.push(`if ($r.creates_path) { $r.file_version = [string](Get-Item -LiteralPath ${q(args.creates_path)}).VersionInfo.FileVersion }`);
  }
  if (args.creates_service) lines.push(`$r.creates_service = $null -ne (Get-Service -Name ${q(args.creates_service)} -ErrorAction SilentlyContinue)`);
  lines.push(emitJson('$r'));
  return lines.join('\n');
}

/** Installed by every test the task gives (product_id and the creates_* ones); undefined: no test given. */
export function isInstalled(args: Args, cur: PackageFacts): boolean | undefined {
  const tests: boolean[] = [];
  if (args.product_id) tests.push(cur.product !== null);
  if (args.creates_path) tests.push(cur.creates_path === true);
  if (args.creates_service) tests.push(cur.creates_service === true);
  if (args.creates_version) tests.push(cur.file_version === args.creates_version);
  return tests.length ? tests.every(Boolean) : undefined;
}

function command(args: Args, op: 'install' | 'uninstall'): PackageChange | string {
  const expected = args.expected_return_code ?? [0, 3010];
  const extra = argText(args.arguments);
  const path = args.path;
  const file = path ? { ...(isUrl(path) ? { url: path } : { path }) } : {};
  const msi = (flag: string, target: string): string[] => [flag, target, '/qn', '/norestart', ...(extra ? [extra] : [])];
  if (op === 'install') {
    if (!path) return 'path is required to install';
    if (isMsi(path)) return { op, program: 'msiexec.exe', argumentList: msi('/i', '"$file"'), ...file, expected, what: `install ${path}` };
    return { op, program: '$file', argumentList: extra ? [extra] : [], ...file, expected, what: `install ${path}` };
  }
  if (path && !isMsi(path)) return { op, program: '$file', argumentList: extra ? [extra] : [], ...file, expected, what: `uninstall with ${path}` };
  if (args.product_id) return { op, program: 'msiexec.exe', argumentList: msi('/x', args.product_id), expected, what: `uninstall ${args.product_id}` };
  if (path) return { op, program: 'msiexec.exe', argumentList: msi('/x', '"$file"'), ...file, expected, what: `uninstall ${path}` };
  return 'path or product_id is required to uninstall';
}

/** Starts the installer and waits; a downloaded package is removed whatever happens. */
export function runPackageScript(c: PackageChange): string {
  const lines = ["$ErrorActionPreference = 'Stop'"];
  if (c.url) {
    const ext = isMsi(c.url) ? '.msi' : '.exe';
    lines.push(`$file = Join-Path $env:TEMP ('fleetplay-' + [guid]::NewGuid().ToString('N') + '${ext}')`, `Invoke-WebRequest -Uri ${q(c.url)} -OutFile $file -UseBasicParsing`);
  } else if (c.path) lines.push(`$file = ${q(c.path)}`);
  // "$file" inside an argument stays a PowerShell expansion; everything else is literal text.
  const arg = (a: string): string => (a.includes('$file') ? `"${a.replace(/"/g, '`"')}"` : q(a));
  const list = c.argumentList.length ? ` -ArgumentList ${c.argumentList.map(arg).join(', ')}` : '';
  lines.push('try {', `  $p = Start-Process -FilePath ${c.program === '$file' ? '$file' : q(c.program)}${list} -Wait -PassThru`, '  $rc = [int]$p.ExitCode', '} finally {');
  if (c.url) lines.push('  Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue');
  lines.push('}', emitJson('$rc'));
  return lines.join('\n');
}

export const winPackage: Module<Args, PackageFacts, PackageChange> = {
  meta: {
    name: 'win_package',
    aliases: ['ansible.windows.win_package'],
    description: 'Install or remove an MSI or EXE package (a file on the host or a URL), idempotent by product_id or creates_* checks.',
    platforms: ['windows'],
    checkMode: 'full',
    example: 'win_package:\n  path: C:\\Windows\\Temp\\fabric-tools.msi\n  product_id: "{6F1A2B3C-0000-4000-8000-00000000A001}"\n  arguments: ADDLOCAL=ALL\nregister: pkg',
    notes: [
      'The product code is not read out of an .msi: give product_id (or creates_path / creates_service / creates_version) so the task knows whether the package is installed.',
      'An MSI runs as msiexec.exe /i <file> /qn /norestart <arguments>; an EXE runs with exactly its arguments (give its silent switch).',
      'Exit 3010 counts as success (expected_return_code) and sets reboot_required; restart with win_reboot.',
    ],
    returns: { rc: "The installer's exit code.", reboot_required: 'True when the installer exited 3010 (restart required).' },
  },
  schema,
  async read(ctx, args) {
    requireWindows(ctx, 'win_package');
    return runJson<PackageFacts>(ctx, readPackageScript(args), `win_package reading ${args.product_id ?? args.path ?? 'the package'}`);
  },
  plan(args, cur) {
    if (args.creates_version && !args.creates_path) return { changes: [], failed: 'creates_version needs creates_path (the file whose version is compared)' };
    const installed = isInstalled(args, cur);
    const what = args.product_id ?? args.path ?? '';
    if (installed === undefined) return { changes: [], failed: `win_package needs product_id, creates_path, creates_service or creates_version to know whether ${what} is installed` };
    const absent = args.state === 'absent';
    const version = cur.product?.version || cur.file_version || undefined;
    if (installed !== absent) return { changes: [], reason: `${what} is ${absent ? 'not installed' : `installed${version ? ` (${version})` : ''}`}`, result: { rc: 0, reboot_required: false } };
    if (cur.path_exists === false) return { changes: [], failed: `the package ${args.path} does not exist on the host` };
    const c = command(args, absent ? 'uninstall' : 'install');
    if (typeof c === 'string') return { changes: [], failed: `win_package: ${c}` };
    return {
      changes: [c],
      reason: c.what,
      diff: [{ kind: 'fields', label: `package ${what}`, fields: [{ key: 'installed', before: installed, after: !absent }] }],
      result: { rc: 0, reboot_required: false },
    };
  },
  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    const rc = await runJson<number>(ctx, runPackageScript(c), `win_package: ${c.what}`);
    const result = { rc, reboot_required: rc === 3010 };
    if (!c.expected.includes(rc)) return { failed: `unexpected rc from ${c.what}: ${rc} (expected_return_code ${c.expected.join(', ')})`, result };
    return { result };
  },
  verify(args, after) {
    // An installer that exits 0 but registers nothing is a failure the next run would repeat.
    const installed = isInstalled(args, after);
    if (args.state === 'absent') return installed ? ['the package is still installed after the removal'] : [];
    return installed ? [] : ['the package is not installed after the installer succeeded (check product_id / creates_*)'];
  },
};
