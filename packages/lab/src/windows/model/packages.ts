// Installer packages on the lab host: Windows Installer (.msi, run by msiexec.exe) and setup programs
// (.exe) built by the lab. A lab package is a small text file (a header line, then JSON) naming its
// product code, name, version, the files it installs and the exit code its install returns (3010 =
// installed, restart required). Installing writes the files and the product's Uninstall key (where
// Windows tools look installed products up); removing deletes both; a failed install (1603)
// registers nothing, as a rolled-back MSI transaction. A real .msi is an OLE compound file: that part
// is not modelled.

import { UNINSTALL_KEY } from './initial.js';
import type { LabFs } from './filesystem.js';
import type { LabState } from './state.js';

export const PACKAGE_HEADER = 'FLEETLAB-PACKAGE 1';

export interface LabPackage {
  /** {GUID} in upper case, as MSI product codes are written. */
  productCode: string;
  name: string;
  version: string;
  publisher?: string;
  /** Absolute path → text content; files get the package version as their file version. */
  files: Record<string, string>;
  /** What the install exits with: 0, 3010 (restart required) or 1603 (fails, nothing installed). */
  exitCode?: 0 | 3010 | 1603;
  /** What the removal exits with (default 0). */
  uninstallExitCode?: 0 | 3010;
}

/** The bytes of a lab package file (for tests and the lab's own package builds). */
export function labPackage(p: LabPackage): Buffer {
  return Buffer.from(`${PACKAGE_HEADER}\r\n${JSON.stringify(p)}\r\n`, 'utf8');
}

export function parseLabPackage(data: Buffer): LabPackage | null {
  const text = data.toString('utf8');
  if (!text.startsWith(PACKAGE_HEADER)) return null;
  try {
    return JSON.parse(text.slice(PACKAGE_HEADER.length)) as LabPackage;
  } catch {
    return null;
  }
}

export const productKey = (code: string): string => `${UNINSTALL_KEY}\\${code}`;

export function installedProduct(s: LabState, code: string): Record<string, unknown> | undefined {
  return s.registry[productKey(code).toLowerCase()]?.values;
}

/** MSI error codes the model returns. */
export const MSI_CODES = { success: 0, userExit: 1602, fatal: 1603, unknownProduct: 1605, badPackage: 1620, rebootRequired: 3010 } as const;

export function installPackage(s: LabState, fs: LabFs, p: LabPackage, kind: 'msi' | 'exe', source: string): number {
  const code = p.exitCode ?? 0;
  s.installs.push({ file: source, arguments: kind, exitCode: code, version: p.version, firmwareUpdate: false });
  if (code === MSI_CODES.fatal) return code;
  const dirs = new Set<string>();
  for (const [path, text] of Object.entries(p.files)) {
    const dir = path.slice(0, path.lastIndexOf('\\'));
    fs.mkdir(dir);
    dirs.add(dir);
    fs.write(path, Buffer.from(text, 'utf8'));
    const e = fs.entry(path);
    if (e?.type === 'file') e.version = p.version;
  }
  s.registry[UNINSTALL_KEY.toLowerCase()] ??= { path: UNINSTALL_KEY, values: {} };
  s.registry[productKey(p.productCode).toLowerCase()] = {
    path: productKey(p.productCode),
    values: {
      DisplayName: p.name, DisplayVersion: p.version, Publisher: p.publisher ?? 'fleetplay lab',
      InstallLocation: [...dirs][0] ?? '', UninstallString: `MsiExec.exe /X${p.productCode}`,
      WindowsInstaller: kind === 'msi' ? 1 : 0, EstimatedSize: 1,
      // Lab bookkeeping (a real MSI keeps its components elsewhere): what removal deletes.
      FleetlabFiles: Object.keys(p.files), FleetlabUninstallExitCode: p.uninstallExitCode ?? 0,
    },
    kinds: { FleetlabFiles: 'MultiString' },
  };
  if (code === MSI_CODES.rebootRequired) s.pendingReboot = true;
  return code;
}

export function uninstallProduct(s: LabState, fs: LabFs, code: string): number {
  const v = installedProduct(s, code);
  if (!v) return MSI_CODES.unknownProduct;
  for (const f of (v.FleetlabFiles as string[] | undefined) ?? []) if (fs.exists(f)) fs.remove(f, false);
  const exit = Number(v.FleetlabUninstallExitCode ?? 0);
  delete s.registry[productKey(code).toLowerCase()];
  s.installs.push({ file: code, arguments: 'uninstall', exitCode: exit, version: String(v.DisplayVersion ?? ''), firmwareUpdate: false });
  if (exit === MSI_CODES.rebootRequired) s.pendingReboot = true;
  return exit;
}

/** msiexec.exe /i <package> | /x <package|{code}> [/qn|/quiet] [/norestart] [PROPERTY=value ...]. */
export function runMsiexec(s: LabState, fs: LabFs, args: string[]): number {
  const silent = args.some((a) => /^[/-](qn|quiet|passive)$/i.test(a));
  const i = args.findIndex((a) => /^[/-][ix]/i.test(a));
  if (i < 0) return 1639; // ERROR_INVALID_COMMAND_LINE
  const flag = args[i]!;
  // msiexec takes /i<path> as well as /i <path>.
  const target = flag.length > 2 ? flag.slice(2) : args[i + 1] ?? '';
  const remove = /^[/-]x/i.test(flag);
  // Without /qn the installer shows its UI, and nobody clicks over WinRM.
  if (!silent) return MSI_CODES.userExit;
  if (remove && /^\{[0-9A-F-]+\}$/i.test(target)) return uninstallProduct(s, fs, target.toUpperCase());
  const p = fs.exists(target) && fs.entry(target)?.type === 'file' ? parseLabPackage(fs.read(target)) : null;
  if (!p) return MSI_CODES.badPackage;
  return remove ? uninstallProduct(s, fs, p.productCode) : installPackage(s, fs, p, 'msi', fs.resolve(target));
}

/** A lab setup.exe: /quiet, /S or /qn installs silently, /uninstall (with one of them) removes. */
export function runSetupExe(s: LabState, fs: LabFs, path: string, p: LabPackage, args: string[]): number {
  if (!args.some((a) => /^[/-](quiet|s|qn|silent)$/i.test(a))) return MSI_CODES.userExit;
  if (args.some((a) => /^[/-](uninstall|x)$/i.test(a))) return uninstallProduct(s, fs, p.productCode);
  return installPackage(s, fs, p, 'exe', path);
}
