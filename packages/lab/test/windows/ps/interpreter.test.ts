import { describe, expect, it } from 'vitest';
import { testHost } from '../../support/windows-host-runtime.js';

const lines = (s: string): string[] => s.split('\r\n').filter((l) => l !== '');

describe('values and operators', () => {
  const h = testHost();

  it('expands strings, joins arrays with spaces, and prints one object per CRLF line', () => {
    const r = h.ps('$n = "vm"; $a = 1,2,3\n"name=$n count=$($a.Count) all=$a"\n$a');
    expect(r.stdout).toBe('name=vm count=3 all=1 2 3\r\n1\r\n2\r\n3\r\n');
    expect(r.exitCode).toBe(0);
  });

  it('compares case-insensitively by default, filters arrays, and converts the right operand to the left type', () => {
    const r = h.ps("'ABC' -eq 'abc'; 'ABC' -ceq 'abc'; (1,2,3,2) -eq 2 -join ','; 5 -eq '5'; 'vm-01' -like 'VM-*'; 'a1b' -match '(\\d)'; $Matches[1]; 3 -in 1,2,3");
    expect(lines(r.stdout)).toEqual(['True', 'False', '2,2', 'True', 'True', 'True', '1', 'True']);
  });

  it('does arithmetic, string repetition, ranges, -f formatting and -replace/-split', () => {
    const r = h.ps("1GB / 1MB; 7 % 3; 'ab' * 3; (1..4 | Measure-Object -Sum).Sum; '{0:N0} MB and {1,3}|' -f 3648, 7; 'a-b-c' -replace '-', '+'; ('a,b' -split ',').Count");
    expect(lines(r.stdout)).toEqual(['1024', '1', 'ababab', '10', '3,648 MB and   7|', 'a+b+c', '2']);
  });

  it('treats $null, empty strings, 0 and empty arrays as false', () => {
    const r = h.ps("foreach ($v in @($null, '', 0, @(), 'x', 1)) { if ($v) { 'T' } else { 'F' } }");
    expect(lines(r.stdout)).toEqual(['F', 'F', 'F', 'F', 'T', 'T']);
  });

  it('casts: [int] rounds half to even, [pscustomobject] keeps key order, [string] of $null is empty', () => {
    const r = h.ps("[int]2.5; [int]3.5; ([pscustomobject]@{ b = 1; a = 2 }).PSObject.Properties.Name -join ','; \"[$([string]$null)]\"");
    expect(lines(r.stdout)).toEqual(['2', '4', 'b,a', '[]']);
  });

  it('supports hashtables: keys, member and index access, .Add, += and splatting', () => {
    const r = h.ps("$h = @{ Name = 'vm1' }; $h.State = 'Off'; $h['Gen'] = 2; $h.Add('X', 1); $h.Count; $h.name\n$p = @{ Name = 'vm-gpu-02' }; (Get-VM @p).Name");
    expect(lines(r.stdout)).toEqual(['4', 'vm1', 'vm-gpu-02']);
  });

  it('runs loops with break/continue, functions with param blocks, switches and return', () => {
    const r = h.ps([
      'function Get-Double { param([int]$N, [switch]$Neg) if ($Neg) { return -2 * $N }; 2 * $N }',
      'foreach ($i in 1..5) { if ($i -eq 2) { continue }; if ($i -eq 4) { break }; Get-Double -N $i }',
      'Get-Double 5 -Neg',
      '$i = 0; while ($i -lt 3) { $i++ }; $i',
      'for ($j = 0; $j -lt 2; $j++) { "j$j" }',
    ].join('\n'));
    expect(lines(r.stdout)).toEqual(['2', '6', '-10', '3', 'j0', 'j1']);
  });

  it('pipes through Where-Object, ForEach-Object, Sort-Object and Select-Object (incl. calculated properties)', () => {
    const r = h.ps([
      "Get-VM | Where-Object { $_.State -eq 'Off' } | ForEach-Object { $_.Name }",
      "Get-VM | Where-Object State -eq 'Running' | Select-Object -ExpandProperty Name",
      "3,1,2 | Sort-Object -Descending | Select-Object -First 2",
      "Get-VM | Select-Object -First 1 @{ N = 'Upper'; E = { $_.Name.ToUpper() } } | ConvertTo-Json -Compress",
    ].join('\n'));
    expect(lines(r.stdout)).toEqual(['vm-gpu-02', 'vm-gpu-03', 'vm-gpu-01', '3', '2', '{"Upper":"VM-GPU-01"}']);
  });
});

describe('JSON as Windows PowerShell 5.1 writes and reads it', () => {
  const h = testHost();

  it('pretty-prints with 5.1 indentation, escapes <>&\' and writes enums as numbers', () => {
    const r = h.ps("@{ a = 1; b = @(1, 2); s = \"it's <x> & y\" } | ConvertTo-Json; (Get-VM -Name vm-gpu-01).State | ConvertTo-Json");
    expect(r.stdout).toBe('{\r\n    "a":  1,\r\n    "b":  [\r\n              1,\r\n              2\r\n          ],\r\n    "s":  "it\\u0027s \\u003cx\\u003e \\u0026 y"\r\n}\r\n2\r\n');
  });

  it('unrolls a single-element pipeline but keeps -InputObject arrays, and cuts at -Depth', () => {
    const r = h.ps("@(1) | ConvertTo-Json -Compress; ConvertTo-Json -InputObject @(1) -Compress; @{ a = @{ b = @{ c = 1 } } } | ConvertTo-Json -Compress -Depth 1");
    expect(lines(r.stdout)).toEqual(['1', '[1]', '{"a":{"b":"System.Collections.Hashtable"}}']);
  });

  it('ConvertFrom-Json returns PSCustomObjects and writes a top-level array as one object', () => {
    const r = h.ps("$o = '{\"n\": \"x\", \"l\": [1,2]}' | ConvertFrom-Json; $o.n; $o.l.Count; ('[1,2,3]' | ConvertFrom-Json | Measure-Object).Count");
    expect(lines(r.stdout)).toEqual(['x', '2', '1']);
  });
});

describe('errors, streams and exit codes', () => {
  const h = testHost();

  it('reports unknown commands as CommandNotFoundException and continues the script (statement-terminating)', () => {
    const r = h.ps("Get-Nothing -X 1\n'after'");
    expect(r.stdout).toBe('after\r\n');
    expect(r.exitCode).toBe(0);
    expect(r.errors[0]).toBe("Get-Nothing : The term 'Get-Nothing' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.");
    expect(r.errors).toContain('At line:1 char:1');
    expect(r.errors).toContain('    + FullyQualifiedErrorId : CommandNotFoundException');
  });

  it('exits 1 when the last statement failed, and with the code given to exit', () => {
    expect(h.ps('Get-Nothing').exitCode).toBe(1);
    expect(h.ps("'x'; exit 7").exitCode).toBe(7);
  });

  it('throw ends the script with exit 1 unless caught; catch sees the message', () => {
    const r = h.ps("try { throw 'bad thing' } catch { \"caught: $($_.Exception.Message)\" }\nthrow 'fatal'\n'not reached'");
    expect(r.stdout).toBe('caught: bad thing\r\n');
    expect(r.exitCode).toBe(1);
    expect(r.errors.slice(0, 4)).toEqual(['fatal', 'At line:2 char:1', "+ throw 'fatal'", '+ ~~~~~~~~~~~~~']);
  });

  it('non-terminating errors are caught only with -ErrorAction Stop or $ErrorActionPreference = Stop', () => {
    const r = h.ps([
      "try { Get-VM -Name nope } catch { 'caught-1' }",
      "try { Get-VM -Name nope -ErrorAction Stop } catch { 'caught-2' }",
      "$ErrorActionPreference = 'Stop'",
      "try { Get-VM -Name nope } catch { 'caught-3:' + $_.Exception.Message }",
    ].join('\n'));
    expect(lines(r.stdout)).toEqual(['caught-2', 'caught-3:Hyper-V was unable to find a virtual machine with name "nope".']);
    expect(r.errors.filter((l) => l.startsWith('Get-VM :'))).toHaveLength(1);
  });

  it('SilentlyContinue and 2>$null hide errors; 2>&1 turns them into output', () => {
    const r = h.ps("Get-VM -Name nope -ErrorAction SilentlyContinue; Get-VM -Name nope2 2>$null; $e = Get-VM -Name nope3 2>&1; \"got: $e\"");
    expect(r.errors).toEqual([]);
    expect(r.stdout).toBe('got: Hyper-V was unable to find a virtual machine with name "nope3".\r\n');
  });

  it('Write-Error prints the command text as PowerShell does; Write-Warning goes to the warning stream', () => {
    const r = h.ps("Write-Warning 'careful'; Write-Error 'it broke'");
    expect(r.errors[0]).toBe("Write-Error 'it broke' : it broke");
    expect(r.errors[1]).toBe('    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException');
    expect(r.warnings).toEqual(['careful']);
  });

  it('reports parse errors before running anything, position first', () => {
    const r = h.ps("Stop-VM -Name vm-gpu-01 -TurnOff\n$x = (1 + ");
    expect(r.exitCode).toBe(1);
    expect(r.errors[0]).toBe('At line:2 char:11');
    expect(r.errors[3]).toBe('You must provide a value expression following the operator.');
    expect(h.state().hyperv.vms[0]!.state).toBe('Running');
  });

  it('binds parameters with PowerShell messages: unknown, ambiguous, missing argument, bad conversion, ValidateSet', () => {
    const msg = (s: string): string => h.ps(s).errors[0]!;
    expect(msg('Get-VM -Bogus 1')).toBe("Get-VM : A parameter cannot be found that matches parameter name 'Bogus'.");
    expect(msg('Stop-VM -Na vm-gpu-03 -P')).toContain("Parameter cannot be processed because the parameter name 'P' is ambiguous. Possible matches include: -Passthru -PipelineVariable.");
    expect(msg('Get-VM -Name')).toBe("Get-VM : Missing an argument for parameter 'Name'. Specify a parameter of type 'System.String[]' and try again.");
    expect(msg('Set-VMHostPartitionableGpu -Name x -PartitionCount abc')).toBe('Set-VMHostPartitionableGpu : Cannot bind parameter \'PartitionCount\'. Cannot convert value "abc" to type "System.UInt16". Error: "Input string was not in a correct format."');
    expect(msg('Set-VM -Name vm-gpu-02 -AutomaticStopAction Sleep')).toContain('The argument "Sleep" does not belong to the set "TurnOff,Save,ShutDown"');
  });

  it('emits the module-loading progress record unless $ProgressPreference is SilentlyContinue', () => {
    const noisy = testHost({}, true);
    expect(noisy.ps('Get-VM | Out-Null').stderr).toContain('Preparing modules for first use.');
    expect(noisy.ps("$ProgressPreference = 'SilentlyContinue'; Get-VM | Out-Null").stderr).toBe('');
  });

  it('runs script text from stdin with -Command - and through [scriptblock]::Create + $input', () => {
    expect(h.cmd('powershell.exe -NoProfile -Command -', "'from stdin'; exit 4")).toMatchObject({ stdout: 'from stdin\r\n', exitCode: 4 });
    const boot = "& ([scriptblock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String((@($input) -join '')))))";
    const payload = Buffer.from("'booted'; exit 5").toString('base64');
    expect(h.ps(boot, payload.slice(0, 8) + '\r\n' + payload.slice(8) + '\r\n')).toMatchObject({ stdout: 'booted\r\n', exitCode: 5 });
  });
});
