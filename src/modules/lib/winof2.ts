// Pure WinOF-2 knowledge for mofed_install's Windows path: package naming, the installer's silent
// command line, what each exit code means, and the PowerShell that reads the installed version and
// runs an install. DOMAIN.md: MSI properties go through `/v`, silent is `/S /v/qn`, firmware update is
// skipped with MT_SKIPFWUPGRD=1, 3010 = success with a reboot pending. How the installed version is
// best read is unconfirmed, so detection is an overridable part (`detect:`).
import { psQuote } from '../../engine/connection/quote.js';

/** DisplayName of WinOF-2's entry under ...\CurrentVersion\Uninstall (the lab's; overridable). */
export const WINOF2_DISPLAY_NAME = 'MLNX_WinOF2';

const UNINSTALL_KEYS = [
  'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*',
  'HKLM:\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*',
];

/** WinOF-2 versions: 3.10.50000, 24.7.50000 (MLNX_OFED's 5.8-3.0.7.0 form is Linux's). */
export const WINOF2_VERSION_RE = /^[0-9]+(\.[0-9]+){1,3}$/;

export function winof2PackageName(version: string): string {
  return `MLNX_WinOF2-${version.replace(/\./g, '_')}_All_x64.exe`;
}

/** The version a package's file name carries (`3_10_50000` or `3.10.50000`), or undefined. */
export function winof2VersionFromName(fileName: string): string | undefined {
  const m = /^MLNX_WinOF2-([0-9]+(?:[._][0-9]+)+)_All_x64\.exe$/i.exec(fileName);
  return m ? m[1]!.replace(/_/g, '.') : undefined;
}

/** Versions compare by their numbers: 3.10.50000 = 3.10.50000.0 = 3_10_50000. */
export function sameWinof2Version(a: string, b: string): boolean {
  const norm = (v: string): string => v.trim().replace(/_/g, '.').split('.').map((n) => String(Number(n))).join('.').replace(/(\.0)+$/, '');
  return norm(a) === norm(b);
}

/**
 * The installer's command line: silent, MSI quiet, and firmware left alone unless asked. The MSI
 * arguments go in ONE `/v"..."` (InstallShield's documented form), which works whether or not a
 * given setup.exe also concatenates repeated `/v` options as community scripts assume.
 */
export function winof2InstallerArgs(firmwareUpdate: boolean): string[] {
  return ['/S', firmwareUpdate ? '/v/qn' : '/v"/qn MT_SKIPFWUPGRD=1"'];
}

export interface Winof2Detect {
  /** DisplayName of the Uninstall entry (wildcards as in -like). */
  display_name?: string;
  /** PowerShell printing the installed version (nothing when not installed); replaces the registry lookup. */
  script?: string;
}

export interface Winof2HostFacts {
  platform: 'windows';
  /** The installed version as detected, undefined when not installed. */
  installed?: string;
  /** How it was detected, for messages: `Uninstall entry MLNX_WinOF2` or `detect.script`. */
  source: string;
  /** $env:TEMP of the WinRM session: where the package goes unless tmp_dir says otherwise. */
  tempDir: string;
  arch: string;
}

const FACTS_MARK = 'FLEETPLAY-WINOF2-FACTS ';
const INSTALL_MARK = 'FLEETPLAY-WINOF2-INSTALL ';

/** Reads the installed version the way Windows offers it: the product's Uninstall entry (or the user's script). */
export function winof2FactsScript(detect: Winof2Detect = {}): string {
  const lookup = detect.script !== undefined
    ? [
        `$fpDetect = [scriptblock]::Create(${psQuote(detect.script)})`,
        "$fpFound = @(& $fpDetect) | Where-Object { $null -ne $_ -and ([string]$_).Trim() -ne '' } | Select-Object -First 1",
        '$fpVersion = if ($null -ne $fpFound) { ([string]$fpFound).Trim() } else { $null }',
      ]
    : [
        `$fpName = ${psQuote(detect.display_name ?? WINOF2_DISPLAY_NAME)}`,
        `$fpEntry = @(Get-ItemProperty -Path ${UNINSTALL_KEYS.map(psQuote).join(', ')} -ErrorAction SilentlyContinue | Where-Object { $_.DisplayName -like $fpName }) | Select-Object -First 1`,
        '$fpVersion = if ($null -ne $fpEntry) { [string]$fpEntry.DisplayVersion } else { $null }',
      ];
  return [
    "$ErrorActionPreference = 'Stop'",
    ...lookup,
    `'${FACTS_MARK}' + ([ordered]@{ installed = $fpVersion; temp = $env:TEMP; arch = $env:PROCESSOR_ARCHITECTURE } | ConvertTo-Json -Compress)`,
  ].join('\n');
}

export function parseWinof2Facts(stdout: string, detect: Winof2Detect = {}): Winof2HostFacts {
  const line = stdout.split(/\r?\n/).find((l) => l.startsWith(FACTS_MARK));
  if (!line) throw new Error(`cannot read the installed WinOF-2 version: ${stdout.trim().slice(0, 300) || 'no output'}`);
  const raw = JSON.parse(line.slice(FACTS_MARK.length)) as { installed?: string | null; temp?: string; arch?: string };
  return {
    platform: 'windows',
    installed: raw.installed ? String(raw.installed).trim() : undefined,
    source: detect.script !== undefined ? 'detect.script' : `Uninstall entry ${detect.display_name ?? WINOF2_DISPLAY_NAME}`,
    tempDir: raw.temp || 'C:\\Windows\\Temp',
    arch: raw.arch || 'AMD64',
  };
}

/** Makes a fresh folder for the package under `base`; prints its path. */
export function winof2TempDirScript(base: string): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    `$fpDir = Join-Path ${psQuote(base)} ('fleetplay-winof2-' + [guid]::NewGuid().ToString('N'))`,
    'New-Item -ItemType Directory -Path $fpDir -Force | Out-Null',
    '$fpDir',
  ].join('\n');
}

export interface Winof2InstallStep {
  tmp: string;
  /** File name of the package inside tmp. */
  pkg: string;
  /** Download it from here (already uploaded when absent). */
  url?: string;
  /** sha256 hex to verify before running anything. */
  sha256?: string;
  args: string[];
}

/**
 * Download (3 tries), verify, run, and remove the folder whatever happens. Ends with one JSON line:
 * the step reached (`download`, `checksum`, `install`), the installer's exit code, and a detail.
 */
export function winof2InstallScript(s: Winof2InstallStep): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    `$fpTmp = ${psQuote(s.tmp)}`,
    `$fpPkg = Join-Path $fpTmp ${psQuote(s.pkg)}`,
    "$fpReport = [ordered]@{ step = 'download'; code = $null; detail = '' }",
    'try {',
    ...(s.url
      ? [
          '  for ($fpTry = 1; $fpTry -le 3; $fpTry++) {',
          `    try { Invoke-WebRequest -Uri ${psQuote(s.url)} -OutFile $fpPkg -UseBasicParsing; $fpReport.detail = ''; break }`,
          '    catch { $fpReport.detail = $_.Exception.Message; if ($fpTry -lt 3) { Start-Sleep -Seconds 2 } }',
          '  }',
        ]
      : []),
    '  if ((Test-Path -LiteralPath $fpPkg -PathType Leaf) -and $fpReport.detail -eq \'\') {',
    "    $fpReport.step = 'checksum'",
    '    $fpHash = (Get-FileHash -LiteralPath $fpPkg -Algorithm SHA256).Hash.ToLower()',
    `    if (${s.sha256 ? `$fpHash -ne ${psQuote(s.sha256.toLowerCase())}` : '$false'}) { $fpReport.detail = $fpHash }`,
    '    else {',
    "      $fpReport.step = 'install'",
    `      $fpProc = Start-Process -FilePath $fpPkg -ArgumentList @(${s.args.map(psQuote).join(', ')}) -Wait -PassThru`,
    '      $fpReport.code = $fpProc.ExitCode',
    '    }',
    '  }',
    '} finally {',
    '  Remove-Item -LiteralPath $fpTmp -Recurse -Force -ErrorAction SilentlyContinue',
    '}',
    `'${INSTALL_MARK}' + ($fpReport | ConvertTo-Json -Compress)`,
  ].join('\n');
}

export interface Winof2InstallReport {
  step: 'download' | 'checksum' | 'install';
  code: number | null;
  detail: string;
}

export function parseWinof2Install(stdout: string): Winof2InstallReport | undefined {
  const line = stdout.split(/\r?\n/).find((l) => l.startsWith(INSTALL_MARK));
  return line ? (JSON.parse(line.slice(INSTALL_MARK.length)) as Winof2InstallReport) : undefined;
}

export interface Winof2ExitMeaning {
  ok: boolean;
  rebootRequired: boolean;
  message: string;
}

/** Every exit code the WinOF-2 installer (an InstallShield wrapper around MSI) is known to give. */
export function explainWinof2Exit(code: number): Winof2ExitMeaning {
  const fail = (message: string): Winof2ExitMeaning => ({ ok: false, rebootRequired: false, message: `${message} (exit ${code})` });
  switch (code) {
    case 0:
      return { ok: true, rebootRequired: false, message: 'installed' };
    case 3010:
      return { ok: true, rebootRequired: true, message: 'installed, reboot required (exit 3010): the new driver loads after a restart' };
    case 1641:
      return { ok: true, rebootRequired: true, message: 'installed, and the installer started a restart of the host (exit 1641)' };
    case 1602:
      return fail('the installer waited for input and was cancelled: it did not run silently (/S /v/qn)');
    case 1603:
      return fail('fatal error during installation; nothing was installed: see the MSI log in %TEMP% on the host');
    case 1618:
      return fail('another installation is already in progress on the host: retry when it has finished');
    case 1619:
      return fail('the package could not be opened: the download is incomplete or not a WinOF-2 package');
    case 1625:
      return fail('installation is prohibited by system policy on the host');
    case 1633:
      return fail('this package is not supported on this platform (an x64 package on another architecture)');
    case 1638:
      return fail('another version of WinOF-2 is installed and this package cannot replace it: uninstall it first');
    case 1639:
      return fail('the installer rejected its command line');
    default:
      return fail('the WinOF-2 installer failed with an unexpected code');
  }
}

/** Arguments that only mean something on one platform (the schema is shared). */
export const LINUX_ONLY_ARGS = ['distro', 'base_url', 'add_kernel_support', 'extra_args', 'flavor', 'profile', 'replace_mlnx', 'hold', 'allow_unverified'] as const;
export const WINDOWS_ONLY_ARGS = ['url', 'detect'] as const;

/** A plan failure for arguments given on the wrong platform, or undefined. */
export function wrongPlatformArgs(args: Record<string, unknown>, platform: 'linux' | 'windows'): string | undefined {
  const other = platform === 'windows' ? LINUX_ONLY_ARGS : WINDOWS_ONLY_ARGS;
  const given = other.filter((k) => args[k] !== undefined);
  if (given.length === 0) return undefined;
  const hint = platform === 'windows' ? 'they apply to Linux hosts (MLNX_OFED) only' : 'they apply to Windows hosts (WinOF-2) only';
  return `${given.join(', ')} cannot be used on a ${platform === 'windows' ? 'Windows' : 'Linux'} host: ${hint}`;
}
