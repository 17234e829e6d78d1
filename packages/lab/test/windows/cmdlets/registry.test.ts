// The HKLM: registry drive's value cmdlets against the in-memory model: kinds kept and reported as
// RegistryKey.GetValueKind does, conversions as the registry provider makes them, 5.1's errors.
import { describe, expect, it } from 'vitest';
import { testHost } from '../../support/windows-host-runtime.js';

const KEY = 'HKLM:\\SOFTWARE\\Fleetplay\\Test';

describe('registry values', () => {
  it('creates typed values and reads them back with their kinds', () => {
    const h = testHost();
    h.ps(`New-Item -Path '${KEY}' -Force | Out-Null`);
    const r = h.ps([
      `New-ItemProperty -Path '${KEY}' -Name Count -Value 0xffffffff -PropertyType DWord | Out-Null`,
      `New-ItemProperty -Path '${KEY}' -Name Big -Value ([long]5000000000) -PropertyType QWord | Out-Null`,
      `New-ItemProperty -Path '${KEY}' -Name Lines -Value ([string[]]@('a','b')) -PropertyType MultiString | Out-Null`,
      `New-ItemProperty -Path '${KEY}' -Name Blob -Value ([byte[]]@(1,255)) -PropertyType Binary | Out-Null`,
      `New-ItemProperty -Path '${KEY}' -Name Where -Value '%SystemRoot%\\x' -PropertyType ExpandString | Out-Null`,
      `$k = Get-Item -LiteralPath '${KEY}'`,
      "foreach ($n in 'Count','Big','Lines','Blob','Where') { '{0}={1}' -f $n, $k.GetValueKind($n) }",
      "(Get-ItemProperty -LiteralPath '" + KEY + "' | Select-Object Count, Big, Lines, Blob, Where | ConvertTo-Json -Compress)",
    ].join('\n'));
    expect(r.errors).toEqual([]);
    expect(r.stdout.split('\r\n').slice(0, 5)).toEqual(['Count=DWord', 'Big=QWord', 'Lines=MultiString', 'Blob=Binary', 'Where=ExpandString']);
    expect(JSON.parse(r.stdout.split('\r\n')[5]!)).toEqual({ Count: -1, Big: 5000000000, Lines: ['a', 'b'], Blob: [1, 255], Where: '%SystemRoot%\\x' });
    expect(h.ps(`(Get-Item '${KEY}').GetValue('Where')`).stdout).toBe('C:\\Windows\\x\r\n');
    expect(h.ps(`(Get-Item '${KEY}').GetValue('Where', $null, 'DoNotExpandEnvironmentNames')`).stdout).toBe('%SystemRoot%\\x\r\n');
    expect(h.state().registry['hklm:\\software\\fleetplay\\test']!.kinds).toEqual({ Big: 'QWord', Blob: 'Binary', Where: 'ExpandString' });
  });

  it('refuses an existing property without -Force, keeps kinds on Set-ItemProperty, removes values', () => {
    const h = testHost();
    h.ps(`New-Item -Path '${KEY}' -Force | Out-Null; New-ItemProperty -Path '${KEY}' -Name N -Value 1 -PropertyType QWord | Out-Null`);
    expect(h.ps(`New-ItemProperty -Path '${KEY}' -Name N -Value 2`).errors[0]).toBe('New-ItemProperty : The property already exists.');
    expect(h.ps(`New-ItemProperty -Path '${KEY}' -Name N -Value x -PropertyType String -Force | Out-Null; (Get-Item '${KEY}').GetValueKind('N')`).stdout).toBe('String\r\n');
    expect(h.ps(`Set-ItemProperty -Path '${KEY}' -Name N -Value 7 -Type DWord; Set-ItemProperty -Path '${KEY}' -Name N -Value 8; (Get-Item '${KEY}').GetValueKind('N'); (Get-ItemProperty '${KEY}').N`).stdout).toBe('DWord\r\n8\r\n');
    expect(h.ps(`Remove-ItemProperty -Path '${KEY}' -Name N; (Get-Item '${KEY}').Property.Count`).stdout).toBe('0\r\n');
    expect(h.ps(`Remove-ItemProperty -Path '${KEY}' -Name N`).errors[0]).toBe('Remove-ItemProperty : Property N does not exist at path HKEY_LOCAL_MACHINE\\SOFTWARE\\Fleetplay\\Test.');
    expect(h.ps(`New-ItemProperty -Path 'HKLM:\\SOFTWARE\\Nope' -Name N -Value 1`).errors[0]).toBe("New-ItemProperty : Cannot find path 'HKLM:\\SOFTWARE\\Nope' because it does not exist.");
    expect(h.ps(`New-ItemProperty -Path '${KEY}' -Name D -Value 99999999999 -PropertyType DWord`).errors[0]).toContain('did not match the specified RegistryValueKind');
    expect(h.ps(`(Get-Item '${KEY}').GetValueKind('Missing')`).errors[0]).toContain('The specified registry key does not exist.');
  });
});
