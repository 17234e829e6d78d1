// How scripts are handed to powershell.exe: command line for short ones, stdin for long ones.
import { describe, expect, it } from 'vitest';
import { MAX_COMMAND_LINE, POWERSHELL_ARGS, STDIN_BOOTSTRAP, decodeCommand, encodeCommand, invocation, withPrologue } from '../../../../src/engine/connection/winrm/powershell.js';

describe('PowerShell invocation', () => {
  it('short scripts travel as -EncodedCommand (UTF-16LE base64)', () => {
    const inv = invocation("Write-Output 'héllo ✓'");
    expect(inv.exe).toBe('powershell.exe');
    expect(inv.args.slice(0, -1)).toEqual([...POWERSHELL_ARGS]);
    expect(decodeCommand(inv.args.at(-1)!)).toBe("Write-Output 'héllo ✓'");
    expect(encodeCommand('a')).toBe('YQA=');
    expect(inv.stdin).toBeUndefined();
  });

  it('long scripts go over stdin as base64 lines to the bootstrap, staying under the command-line limit', () => {
    const script = `# ${'x'.repeat(120_000)}\nWrite-Output 'end ü'`;
    const inv = invocation(script);
    const line = [inv.exe, ...inv.args].join(' ');
    expect(line.length).toBeLessThan(MAX_COMMAND_LINE);
    expect(decodeCommand(inv.args.at(-1)!)).toBe(STDIN_BOOTSTRAP);
    const lines = inv.stdin!.toString('ascii').split('\r\n');
    expect(lines.every((l) => l.length <= 65536)).toBe(true);
    expect(Buffer.from(lines.join(''), 'base64').toString('utf8')).toBe(script);
    expect(() => invocation(script, Buffer.from('data'))).toThrow(/cannot also take stdin/);
  });

  it('the prologue quotes env values and the working directory', () => {
    const s = withPrologue('Get-Location', { cwd: "C:\\it's here", env: { 'ProgramFiles(x86)': "a'b", FOO: '$(evil)' } });
    expect(s).toBe(
      ["$ProgressPreference = 'SilentlyContinue'", "${env:ProgramFiles(x86)} = 'a''b'", "${env:FOO} = '$(evil)'", "Set-Location -LiteralPath 'C:\\it''s here'", 'Get-Location'].join('\n'),
    );
    expect(() => withPrologue('x', { env: { 'BAD NAME': '1' } })).toThrow(/not valid/);
  });
});
