// Streaming pipelines, typed error records and the warning/verbose/information streams with their
// redirections (what win_powershell's wrapper relies on: `& $sb 2>&1 3>&1 6>&1 | ForEach-Object`).
import { describe, expect, it } from 'vitest';
import { testHost } from '../../support/windows-host-runtime.js';

const lines = (s: string): string[] => s.split('\r\n').filter((l) => l !== '');

describe('error records are typed like .NET ones', () => {
  const h = testHost();

  it('2>&1 yields ErrorRecord objects whose exception has its full .NET type name', () => {
    const r = h.ps([
      '$e = Get-VM -Name nope 2>&1',
      '$e.GetType().FullName; $e -is [System.Management.Automation.ErrorRecord]; $e.Exception.GetType().FullName',
      "try { throw 'x' } catch { $_.Exception.GetType().FullName; $_.Exception -is [System.Exception]; \"$($_.Exception)\" }",
      "'text' -is [System.Management.Automation.ErrorRecord]",
    ].join('\n'));
    expect(lines(r.stdout)).toEqual([
      'System.Management.Automation.ErrorRecord', 'True', 'Microsoft.HyperV.PowerShell.VirtualizationException',
      'System.Management.Automation.RuntimeException', 'True', 'System.Management.Automation.RuntimeException: x',
      'False',
    ]);
  });

  it('catch [T] matches the exception type and its base types, in order', () => {
    const r = h.ps([
      "try { Get-Item C:\\nope -ErrorAction Stop } catch [System.IO.IOException] { 'io' } catch [System.Management.Automation.RuntimeException] { 'rt:' + $_.Exception.GetType().Name }",
      "try { Get-VM -Name nope -ErrorAction Stop } catch [System.Management.Automation.RuntimeException] { 'rt' } catch [System.Exception] { 'ex:' + $_.Exception.GetType().Name }",
    ].join('\n'));
    expect(lines(r.stdout)).toEqual(['rt:ItemNotFoundException', 'ex:VirtualizationException']);
  });
});

describe('pipelines stream', () => {
  const h = testHost();

  it('objects written before a terminating error have already been processed downstream', () => {
    const r = h.ps("$seen = @(); try { & { 'a'; 'b'; throw 'boom' } | ForEach-Object { $seen += $_ } } catch { \"caught $_\" }; $seen -join ','");
    expect(lines(r.stdout)).toEqual(['caught boom', 'a,b']);
  });

  it('runs every begin block first, then objects one by one, then the end blocks in order', () => {
    const r = h.ps("1..2 | ForEach-Object -Begin { 'B1' } -Process { \"P1-$_\" } -End { 'E1' } | ForEach-Object -Begin { 'B2' } -Process { \"[$_]\" } -End { 'E2' }");
    expect(lines(r.stdout)).toEqual(['B2', '[B1]', '[P1-1]', '[P1-2]', '[E1]', 'E2']);
  });

  it('downstream script blocks run in the scope of the statement, not of the upstream command', () => {
    const r = h.ps("$n = 0; & { $n = 100; 1; 2 } | ForEach-Object { $n += $_ }; \"n=$n\"");
    expect(lines(r.stdout)).toEqual(['n=3']);
  });

  it('a downstream command gets no process call without input, but $null is an object', () => {
    const r = h.ps("@() | ForEach-Object { 'ran-empty' }; $null | ForEach-Object { 'ran-null' }; @() | Stop-VM; 'done'");
    expect(lines(r.stdout)).toEqual(['ran-null', 'done']);
    expect(r.errors).toEqual([]);
  });

  it('a stage that throws stops the pipeline: the end blocks after it do not run', () => {
    const r = h.ps("try { 1..3 | ForEach-Object { if ($_ -eq 2) { throw 'two' }; \"got $_\" } -End { 'end-1' } | ForEach-Object { $_ } -End { 'end-2' } } catch { \"caught $_\" }");
    expect(lines(r.stdout)).toEqual(['got 1', 'caught two']);
  });
});

describe('warning, verbose, debug and information streams', () => {
  const h = testHost();

  it('3>&1 and 6>&1 merge WarningRecord and InformationRecord objects into the output', () => {
    const r = h.ps([
      "$r = & { Write-Warning 'w'; Write-Host 'h'; Write-Information 'i' -Tags t1; 'o' } 3>&1 6>&1",
      '$r | ForEach-Object { $_.GetType().FullName }',
      '[string]$r[1].MessageData; $r[1].Tags -join \',\'; $r[2].MessageData; $r[2].Tags -join \',\'; "$($r[0])"; $r[0].Message',
      '$r[0] -is [System.Management.Automation.InformationalRecord]',
    ].join('\n'));
    expect(lines(r.stdout)).toEqual([
      'System.Management.Automation.WarningRecord', 'System.Management.Automation.InformationRecord',
      'System.Management.Automation.InformationRecord', 'System.String',
      'h', 'PSHOST', 'i', 't1', 'w', 'w', 'True',
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('without redirection: Write-Host prints, Write-Information only with InformationPreference Continue', () => {
    const r = h.ps("Write-Information 'hidden'; Write-Host 'shown'; Write-Host 'a' -NoNewline; Write-Host 'b'; Write-Information 'asked' -InformationAction Continue");
    expect(r.stdout).toBe('shown\r\nab\r\nasked\r\n');
  });

  it('N>$null discards one stream and *>$null every stream, output included', () => {
    const r = h.ps("Write-Host 'x' 6>$null; Write-Warning 'w' 3>$null; & { Write-Host 'h'; Write-Warning 'w2'; 'o'; Write-Error 'e' } *>$null; 'end'");
    expect(r.stdout).toBe('end\r\n');
    expect(r.warnings).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  it('honours the preferences: verbose only when asked, warnings silenced or stopping', () => {
    const r = h.ps([
      "Write-Verbose 'v1' -Verbose; Write-Verbose 'v2'; Write-Verbose 'v3' -Verbose 4>&1 | ForEach-Object { $_.GetType().Name }",
      "$WarningPreference = 'SilentlyContinue'; Write-Warning 'quiet'; $WarningPreference = 'Continue'",
      "try { Write-Warning 'loud' -WarningAction Stop; 'not here' } catch { $_.FullyQualifiedErrorId }",
    ].join('\n'));
    expect(lines(r.stdout)).toEqual(['VerboseRecord', 'ActionPreferenceStop,Microsoft.PowerShell.Commands.WriteWarningCommand']);
    expect(r.stderr).toContain('<S S="verbose">v1_x000D__x000A_</S>');
    expect(r.stderr).not.toContain('v2');
    expect(r.warnings).toEqual([]);
  });

  it('records merged into the output go back to their stream at Out-Default, and to files as text', () => {
    const r = h.ps("Write-Warning 'merged' 3>&1; & { 'o'; Write-Warning 'wf' } 3>&1 > C:\\out.txt; Get-Content C:\\out.txt");
    expect(r.warnings).toEqual(['merged']);
    expect(lines(r.stdout)).toEqual(['o', 'wf']);
  });

  it('a not-recognized command with its own 2>&1 becomes an error record in its output', () => {
    const r = h.ps('$x = Get-Nothing 2>&1; $x.Exception.GetType().FullName; $?');
    expect(lines(r.stdout)).toEqual(['System.Management.Automation.CommandNotFoundException', 'True']);
    expect(r.errors).toEqual([]);
  });
});
