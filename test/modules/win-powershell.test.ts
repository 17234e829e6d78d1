// win_powershell's pure parts: the wrapper keeps parameters out of the code, the report parser, the
// plan (check mode skips unless creates/removes decide). Running scripts is covered against the lab's
// Windows host in test/engine/connection/winrm/lab-host.test.ts.
import { describe, expect, it } from 'vitest';
import { RESULT_BEGIN, RESULT_END, parseWrapperOutput, wrapperScript } from '../../src/modules/lib/win-powershell-wrapper.js';
import { winPowershell } from '../../src/modules/win-powershell.js';
import { makePlanContext } from '../support/module-host.js';

describe('win_powershell wrapper', () => {
  it('passes parameters as one quoted JSON literal, never as code', () => {
    const evil = "x'); Remove-Item C:\\ -Recurse; ('";
    const s = wrapperScript({ script: 'param($Name) "hi $Name"', parameters: { Name: evil, N: 3 } });
    const line = s.split('\n').find((l) => l.startsWith('$fpJson = ConvertFrom-Json '))!;
    const literal = line.slice('$fpJson = ConvertFrom-Json '.length);
    // A single-quoted PowerShell string whose content is exactly the JSON.
    expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
    expect(JSON.parse(literal.slice(1, -1).replace(/''/g, "'"))).toEqual({ Name: evil, N: 3 });
    expect(s).toContain('& $fpBlock @fpParams 2>&1 3>&1 6>&1');
    expect(s).toContain("[scriptblock]::Create('param($Name) \"hi $Name\"')");
    expect(s).toContain("$ErrorActionPreference = 'Continue'");
    expect(wrapperScript({ script: '1', errorAction: 'stop', depth: 4 })).toMatch(/\$ErrorActionPreference = 'Stop'[\s\S]*ConvertTo-Json -Depth 5 -Compress/);
  });

  it('parses the report and keeps stray console text as host output', () => {
    const json = JSON.stringify({ output: { a: 1 }, error: null, warning: 'careful', host_out: 'hello', changed: false, failed: false, result: { k: 'v' } });
    const { report, extra } = parseWrapperOutput(`direct console text\r\n${RESULT_BEGIN}\r\n${json}\r\n${RESULT_END}\r\n`);
    expect(report).toEqual({ output: [{ a: 1 }], error: [], warning: ['careful'], host_out: 'hello', changed: false, failed: false, result: { k: 'v' } });
    expect(extra).toBe('direct console text');
    expect(parseWrapperOutput('exited early').report).toBeUndefined();
  });
});

describe('win_powershell plan', () => {
  const plan = (cur: { skip?: string }) => winPowershell.plan({ script: 'x' }, cur, makePlanContext());
  it('always plans to run (so check mode skips it) unless a guard settled it', () => {
    expect(winPowershell.meta.checkMode).toBe('none');
    expect(plan({}).changes).toEqual([{ script: expect.stringContaining('FLEETPLAY-WIN-POWERSHELL-BEGIN'), stopOnError: false }]);
    expect(plan({ skip: 'skipped, since C:\\done exists' })).toMatchObject({ changes: [], reason: 'skipped, since C:\\done exists' });
  });
});

// ---- against the lab's Windows host, through the real WinRM connection ----
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createWinrmConnection } from '../../src/engine/connection/winrm/index.js';
import type { Connection } from '../../src/engine/contract/connection.js';
import { defaultWindowsHostConfig, startWindowsHost, type WindowsHostHandle } from '@fleetplay/lab/windows';
import { makeHostContext, runModule } from '../support/module-host.js';

describe('win_powershell on the lab Windows host', () => {
  let host: WindowsHostHandle;
  let dir: string;
  let conn: Connection;
  const run = (args: Record<string, unknown>, check = false) =>
    runModule(winPowershell, args, { ctx: makeHostContext({ conn, checkMode: check }), check });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fp-winps-'));
    host = await startWindowsHost(defaultWindowsHostConfig({ listenAddress: '127.0.0.1', httpPort: 0, httpsPort: 0, certDir: dir, stateFile: join(dir, 'state.json') }));
    conn = createWinrmConnection({
      name: 'winlab', transport: 'winrm', address: '127.0.0.1', port: host.httpPort, user: 'Administrator', password: 'Lab-Passw0rd!',
      vars: { ansible_winrm_scheme: 'http' },
    });
    await conn.connect();
  });
  afterAll(async () => {
    await conn?.close();
    await host?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('splats parameters (hostile strings stay data) and captures output objects, host output and $Ansible.Result', async () => {
    const evil = "x'); Stop-VM -Name vm-gpu-01 -Force; ('";
    const r = await run({
      script: [
        'param([string]$Name, [int]$Count)',
        'Write-Host "hello $Name"',
        '1..$Count | ForEach-Object { "item-$_" }',
        '[pscustomobject]@{ vms = @(Get-VM).Count; name = $Name }',
        "$Ansible.Result = @{ gpus = @(Get-VMHostPartitionableGpu).Count }",
      ].join('\n'),
      parameters: { Name: evil, Count: 2 },
    });
    expect(r.status).toBe('changed');
    expect(r.applied?.result).toMatchObject({
      output: ['item-1', 'item-2', { vms: 3, name: evil }],
      host_out: `hello ${evil}`,
      result: { gpus: 2 },
      error: [],
    });
    expect(host.state().hyperv.vms.find((v) => v.name === 'vm-gpu-01')?.state).toBe('Running');
  });

  it('reports changed: false when the script says so, and fails with the error on throw', async () => {
    expect((await run({ script: '$Ansible.Changed = $false; "nothing to do"' })).status).toBe('ok');
    const failed = await run({ script: "throw 'GPU not ready'" });
    expect(failed.status).toBe('failed');
    expect(failed.msg).toBe('the script failed: GPU not ready');
  });

  it('output written before a terminating error is kept (PowerShell pipelines stream)', async () => {
    const failed = await run({ script: "'before'; throw 'GPU not ready'" });
    expect(failed.status).toBe('failed');
    expect(failed.applied?.result).toMatchObject({ output: ['before'] });
  });

  it('error_action stop turns a non-terminating error into a failure', async () => {
    const r = await run({ script: "Get-VM -Name nope; 'after'", error_action: 'stop' });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/Hyper-V was unable to find a virtual machine with name "nope"/);
  });

  it('non-terminating errors are reported in error, not output, and do not fail the task', async () => {
    const r = await run({ script: "Get-VM -Name nope; 'after'" });
    expect(r.status).toBe('changed');
    expect(r.applied?.result).toMatchObject({ output: ['after'] });
    expect((r.applied?.result as { error: Array<{ message: string }> }).error.map((e) => e.message)).toEqual([
      'Hyper-V was unable to find a virtual machine with name "nope".',
    ]);
  });

  it('an exit in the script is reported with its code', async () => {
    const r = await run({ script: "'partial'; exit 5" });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/exit code 5 before its results were collected/);
  });

  it('check mode does not run the script; creates decides without running it', async () => {
    const before = JSON.stringify(host.state());
    const r = await run({ script: 'Stop-VM -Name vm-gpu-01 -Force' }, true);
    expect(r.status).toBe('skipped');
    expect(JSON.stringify(host.state())).toBe(before);
    const guarded = await run({ script: 'Stop-VM -Name vm-gpu-01 -Force', creates: 'C:\\Windows' });
    expect(guarded).toMatchObject({ status: 'ok', plan: { reason: 'skipped, since C:\\Windows exists' } });
    expect(JSON.stringify(host.state())).toBe(before);
  });
});
