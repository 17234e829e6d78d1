// win_package plans (pure): installed by every test the task gives, MSI vs EXE commands, removal by
// product code, the refusals, and the script that downloads a URL package and removes it again.
// On the lab host: test/e2e/windows-package.test.ts.
import { describe, expect, it } from 'vitest';
import { isInstalled, runPackageScript, winPackage, type PackageFacts } from '../../src/modules/win-package.js';
import { makePlanContext } from '../support/module-host.js';

const ID = '{6F1A2B3C-0000-4000-8000-00000000A001}';
const none: PackageFacts = { product: null, path_exists: true, creates_path: null, creates_service: null, file_version: null };
const plan = (args: Record<string, unknown>, c: PackageFacts = none) => winPackage.plan(args as never, c, makePlanContext());

describe('win_package plan', () => {
  it('needs every given test to pass to count as installed', () => {
    expect(isInstalled({ product_id: ID }, { ...none, product: { name: 'x', version: '1', uninstall_string: '' } })).toBe(true);
    expect(isInstalled({ creates_path: 'C:\\t.exe', creates_version: '2.0' }, { ...none, creates_path: true, file_version: '1.0' })).toBe(false);
    expect(isInstalled({ path: 'C:\\x.msi' }, none)).toBeUndefined();
  });

  it('installs an MSI with msiexec /qn /norestart and an EXE with its own arguments', () => {
    expect(plan({ path: 'C:\\a b\\x.msi', product_id: ID, arguments: 'ADDLOCAL=ALL' }).changes).toEqual([{ op: 'install', program: 'msiexec.exe',
      argumentList: ['/i', '"$file"', '/qn', '/norestart', 'ADDLOCAL=ALL'], path: 'C:\\a b\\x.msi', expected: [0, 3010], what: 'install C:\\a b\\x.msi' }]);
    expect(plan({ path: 'C:\\setup.exe', creates_service: 'tool', arguments: ['/S', 'DIR=C:\\Program Files\\T'] }).changes[0]).toMatchObject({ program: '$file', argumentList: ['/S "DIR=C:\\Program Files\\T"'] });
    expect(plan({ product_id: ID, state: 'absent' }, { ...none, product: { name: 'x', version: '1', uninstall_string: '' } }).changes[0]).toMatchObject({ op: 'uninstall', argumentList: ['/x', ID, '/qn', '/norestart'] });
  });

  it('refuses what it cannot decide or run', () => {
    expect(plan({ path: 'C:\\x.msi' }).failed).toMatch(/needs product_id, creates_path/);
    expect(plan({ path: 'C:\\x.msi', product_id: ID }, { ...none, path_exists: false }).failed).toBe('the package C:\\x.msi does not exist on the host');
    expect(plan({ creates_version: '1' }).failed).toMatch(/creates_version needs creates_path/);
    expect(plan({ product_id: ID }).failed).toBe('win_package: path is required to install');
  });

  it('downloads a URL package to a temporary file and removes it whatever happens', () => {
    const s = runPackageScript({ op: 'install', program: 'msiexec.exe', argumentList: ['/i', '"$file"', '/qn'], url: 'http://m/x.msi', expected: [0], what: 'install' });
    expect(s).toContain("Invoke-WebRequest -Uri 'http://m/x.msi' -OutFile $file -UseBasicParsing");
    expect(s).toContain("-ArgumentList '/i', \"`\"$file`\"\", '/qn' -Wait -PassThru");
    expect(s).toMatch(/finally \{\n {2}Remove-Item -LiteralPath \$file/);
  });
});
