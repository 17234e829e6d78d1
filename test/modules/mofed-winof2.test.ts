// mofed_install's Windows (WinOF-2) knowledge and planning, without a host: package naming, the silent
// command line, exit codes, which arguments belong to which platform, and the plan against facts.
import { describe, expect, it } from 'vitest';
import {
  explainWinof2Exit, parseWinof2Facts, sameWinof2Version, winof2FactsScript, winof2InstallerArgs, winof2PackageName, winof2VersionFromName, wrongPlatformArgs,
  type Winof2HostFacts,
} from '../../src/modules/lib/winof2.js';
import { mofedInstall } from '../../src/modules/mofed-install.js';
import { makePlanContext } from '../support/module-host.js';

const win = (installed?: string): Winof2HostFacts => ({ platform: 'windows', installed, source: 'Uninstall entry MLNX_WinOF2', tempDir: 'C:\\Temp', arch: 'AMD64' });
const plan = (args: Record<string, unknown>, facts: Winof2HostFacts = win()) => mofedInstall.plan({ version: '3.10.50000', ...args } as never, facts, makePlanContext());

describe('WinOF-2 packages', () => {
  it('names packages as NVIDIA publishes them and reads the version back from a name', () => {
    expect(winof2PackageName('3.10.50000')).toBe('MLNX_WinOF2-3_10_50000_All_x64.exe');
    expect(winof2VersionFromName('MLNX_WinOF2-3_10_50000_All_x64.exe')).toBe('3.10.50000');
    expect(winof2VersionFromName('mlnx_winof2-24.7.50000_all_x64.exe')).toBe('24.7.50000');
    expect(winof2VersionFromName('setup.exe')).toBeUndefined();
  });

  it('compares versions by their numbers', () => {
    expect(sameWinof2Version('3.10.50000', '3.10.50000.0')).toBe(true);
    expect(sameWinof2Version('3_10_50000', '3.10.50000')).toBe(true);
    expect(sameWinof2Version('3.10.50000', '3.10.5000')).toBe(false);
  });

  it('runs silently and leaves firmware alone unless asked', () => {
    expect(winof2InstallerArgs(false)).toEqual(['/S', '/v"/qn MT_SKIPFWUPGRD=1"']);
    expect(winof2InstallerArgs(true)).toEqual(['/S', '/v/qn']);
  });

  it('gives every exit code its own message; 3010 and 1641 are success with a reboot', () => {
    const codes = [0, 3010, 1641, 1602, 1603, 1618, 1619, 1625, 1633, 1638, 1639, 77];
    const messages = codes.map((c) => explainWinof2Exit(c).message);
    expect(new Set(messages).size).toBe(codes.length);
    expect(explainWinof2Exit(3010)).toEqual({ ok: true, rebootRequired: true, message: expect.stringMatching(/^installed, reboot required/) });
    expect(explainWinof2Exit(0)).toMatchObject({ ok: true, rebootRequired: false });
    expect(explainWinof2Exit(1618)).toMatchObject({ ok: false, message: expect.stringMatching(/another installation .* \(exit 1618\)$/) });
  });

  it('reads the version from the Uninstall entries by default, or from the script given', () => {
    expect(winof2FactsScript()).toContain("Where-Object { $_.DisplayName -like $fpName }");
    expect(winof2FactsScript({ display_name: "Mellanox WinOF-2 'x'" })).toContain("$fpName = 'Mellanox WinOF-2 ''x'''");
    expect(winof2FactsScript({ script: '(Get-Item x).VersionInfo' })).toContain("[scriptblock]::Create('(Get-Item x).VersionInfo')");
    const facts = parseWinof2Facts('noise\r\nFLEETPLAY-WINOF2-FACTS {"installed":"3.10.50000","temp":"C:\\\\T","arch":"AMD64"}\r\n', { script: 'x' });
    expect(facts).toEqual({ platform: 'windows', installed: '3.10.50000', source: 'detect.script', tempDir: 'C:\\T', arch: 'AMD64' });
    expect(() => parseWinof2Facts('boom')).toThrow(/cannot read the installed WinOF-2 version: boom/);
  });
});

describe('one schema, two platforms', () => {
  it('names the arguments given on the wrong platform', () => {
    expect(wrongPlatformArgs({ distro: 'ubuntu22.04', extra_args: [] }, 'windows')).toBe('distro, extra_args cannot be used on a Windows host: they apply to Linux hosts (MLNX_OFED) only');
    expect(wrongPlatformArgs({ url: 'http://x/y.exe' }, 'linux')).toBe('url cannot be used on a Linux host: they apply to Windows hosts (WinOF-2) only');
    expect(wrongPlatformArgs({ version: '1.2', force: true, checksum: 'x' }, 'windows')).toBeUndefined();
  });

  it('fails the plan on Windows for Linux-only arguments and MLNX_OFED versions, and on Linux for the reverse', () => {
    expect(plan({ src: 'a.exe', base_url: 'https://mirror/ofed' }).failed).toMatch(/^base_url cannot be used on a Windows host/);
    expect(plan({ version: '5.8-3.0.7.0', src: 'a.exe' }).failed).toBe('version 5.8-3.0.7.0 is an MLNX_OFED (Linux) version; WinOF-2 versions look like 3.10.50000');
    const linux = { platform: 'linux', kernel: '5.15.0', arch: 'x86_64', osId: 'ubuntu', osVersionId: '22.04', osIdLike: 'debian', kernelSources: false, downloader: 'curl' };
    expect(mofedInstall.plan({ version: '5.8-3.0.7.0', detect: { display_name: 'x' } } as never, linux as never, makePlanContext()).failed).toMatch(/^detect cannot be used on a Linux host/);
    expect(mofedInstall.plan({ version: '3.10.50000' } as never, linux as never, makePlanContext()).failed).toMatch(/is a WinOF-2 \(Windows\) version/);
  });
});

describe('planning on Windows', () => {
  it('is ok with the reason when the version is installed (unless forced)', () => {
    expect(plan({ src: 'MLNX_WinOF2-3_10_50000_All_x64.exe' }, win('3.10.50000.0'))).toMatchObject({ changes: [], reason: 'WinOF-2 3.10.50000 is already installed (Uninstall entry MLNX_WinOF2)' });
    expect(plan({ src: 'MLNX_WinOF2-3_10_50000_All_x64.exe', force: true }, win('3.10.50000')).changes).toHaveLength(1);
  });

  it('needs exactly one of src and url, and a package whose name matches the version', () => {
    expect(plan({}).failed).toMatch(/^on Windows, give src .* or url/);
    expect(plan({ src: 'a.exe', url: 'http://m/a.exe' }).failed).toMatch(/not both/);
    expect(plan({ url: 'http://m/MLNX_WinOF2-3_20_50000_All_x64.exe' }).failed).toBe('MLNX_WinOF2-3_20_50000_All_x64.exe is the WinOF-2 3.20.50000 package, but version is 3.10.50000');
    expect(plan({ src: 'drivers/renamed.exe', checksum: `sha256:${'a'.repeat(64)}` }).warnings).toEqual([expect.stringMatching(/renamed.exe is not named like a WinOF-2 package/)]);
  });

  it('plans the download and the silent command line, with the version diff', () => {
    const p = plan({ url: 'http://198.18.0.1/winof2/MLNX_WinOF2-3_10_50000_All_x64.exe' }, win('3.0.50000'));
    expect(p.changes).toEqual([{ platform: 'windows', version: '3.10.50000', previous: '3.0.50000', package: 'MLNX_WinOF2-3_10_50000_All_x64.exe', url: 'http://198.18.0.1/winof2/MLNX_WinOF2-3_10_50000_All_x64.exe', args: ['/S', '/v"/qn MT_SKIPFWUPGRD=1"'], tmpBase: 'C:\\Temp', source: 'Uninstall entry MLNX_WinOF2' }]);
    expect(p.reason).toBe('download http://198.18.0.1/winof2/MLNX_WinOF2-3_10_50000_All_x64.exe, then MLNX_WinOF2-3_10_50000_All_x64.exe /S /v"/qn MT_SKIPFWUPGRD=1"');
    expect(p.diff?.[0]).toMatchObject({ kind: 'fields', label: 'WinOF-2', fields: [{ key: 'version', before: '3.0.50000', after: '3.10.50000' }, { key: 'installer' }] });
    expect(p.warnings).toEqual([expect.stringMatching(/no checksum given/)]);
  });
});
