// win_powershell's pure parts: the wrapper keeps parameters out of the code, the report parser, the
// plan (check mode skips unless creates/removes decide). Running scripts is covered against the lab's
// Windows host in test/engine/connection/winrm/lab-host.test.ts.
import { describe, expect, it } from 'vitest';
import { RESULT_BEGIN, RESULT_END, parseWrapperOutput, wrapperScript } from '../../src/modules/lib/win-powershell-wrapper.js';
import { winPowershell } from '../../src/modules/win-powershell.js';
import { makePlanContext } from './helpers.js';

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
    expect(plan({}).changes).toEqual([{ run: 'script' }]);
    expect(plan({ skip: 'skipped, since C:\\done exists' })).toMatchObject({ changes: [], reason: 'skipped, since C:\\done exists' });
  });
});
