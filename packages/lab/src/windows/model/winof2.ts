// The WinOF-2 (Mellanox/NVIDIA ConnectX driver) installer as the lab models it. The package version
// comes from the file name MLNX_WinOF2-<ver>_All_x64.exe (3_10_50000 or 3.10.50000); a silent run
// (`/S /v"/qn ..."`) registers the product under the Uninstall key, where the installed version is read
// back (DisplayName MLNX_WinOF2, DisplayVersion <ver>). Exit 3010 = installed, reboot required.

import { UNINSTALL_KEY, WINOF2_PRODUCT_KEY, winof2UninstallValues } from './initial.js';
import type { LabState } from './state.js';

const INSTALLER_RE = /(?:^|\\)MLNX_WinOF2-(\d+(?:[._]\d+)+)_All_x64\.exe$/i;

export function installerVersion(path: string): string | null {
  const m = INSTALLER_RE.exec(path);
  return m ? m[1]!.replace(/_/g, '.') : null;
}

export function installedWinof2Version(state: LabState): string | null {
  const v = state.registry[WINOF2_PRODUCT_KEY.toLowerCase()]?.values.DisplayVersion;
  return v === undefined ? null : String(v);
}

/** MSI exit codes the model uses. */
export const MSI = { success: 0, userExit: 1602, fatal: 1603, alreadyRunning: 1618, rebootRequired: 3010 } as const;

/** Runs the installer at `path` with `args` (already joined as the command line would carry them). */
export function runWinof2Installer(state: LabState, path: string, args: string): number {
  const version = installerVersion(path);
  const silent = /(^|\s)\/S(\s|$)/i.test(args) && /\/qn/i.test(args);
  const firmwareUpdate = !/MT_SKIPFWUPGRD\s*=\s*1/i.test(args);
  let exitCode: number;
  if (!version) exitCode = MSI.fatal;
  // Without /S and /qn the installer opens its UI and waits for a click that never comes over WinRM.
  else if (!silent) exitCode = MSI.userExit;
  else {
    exitCode = state.winof2.installerExitCode;
    // A failed MSI transaction rolls back: nothing is registered.
    if (exitCode === MSI.success || exitCode === MSI.rebootRequired) {
      state.registry[UNINSTALL_KEY.toLowerCase()] ??= { path: UNINSTALL_KEY, values: {} };
      state.registry[WINOF2_PRODUCT_KEY.toLowerCase()] = { path: WINOF2_PRODUCT_KEY, values: winof2UninstallValues(version) };
    }
    if (exitCode === MSI.rebootRequired) state.pendingReboot = true;
  }
  state.installs.push({ file: path, arguments: args, exitCode, version, firmwareUpdate });
  return exitCode;
}
