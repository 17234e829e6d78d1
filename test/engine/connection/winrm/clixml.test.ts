// CLIXML on stderr → readable text (fixtures shaped like powershell.exe's output over WinRM).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { clixmlToText, decodeClixml, isClixml, unescapePs } from '../../../../src/engine/connection/winrm/clixml.js';

const fixture = (n: string) => readFileSync(new URL(`./fixtures/${n}`, import.meta.url), 'utf8');

describe('CLIXML decoding', () => {
  it('turns an error record into the lines PowerShell would print, dropping progress', () => {
    const text = clixmlToText(fixture('clixml-get-item-error.txt'));
    expect(text).toBe(
      [
        "Get-Item : Cannot find path 'C:\\nope' because it does not exist.",
        'At line:1 char:1',
        '+ Get-Item C:\\nope',
        '+ ~~~~~~~~~~~~~~~~',
        '    + CategoryInfo          : ObjectNotFound: (C:\\nope:String) [Get-Item], ItemNotFoundException',
        '    + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand',
      ].join('\n'),
    );
    expect(text).not.toContain('Preparing modules');
  });

  it('keeps warnings and plain text, undoes XML and _xHHHH_ escapes', () => {
    const s = decodeClixml(fixture('clixml-warning-and-escapes.txt'));
    expect(s.other).toBe('native tool said this first');
    expect(s.warnings).toBe('GPU partition count <4> is low & odd');
    expect(s.errors).toBe('literal _x000D_ stays, tab\there, emoji 🚀 ok');
    expect(clixmlToText(fixture('clixml-warning-and-escapes.txt'))).toBe(
      'native tool said this first\nliteral _x000D_ stays, tab\there, emoji 🚀 ok\nWARNING: GPU partition count <4> is low & odd',
    );
  });

  it('leaves ordinary stderr alone', () => {
    expect(isClixml('plain error\n')).toBe(false);
    expect(clixmlToText('plain error\n')).toBe('plain error\n');
    expect(unescapePs('a_x000A_b')).toBe('a\nb');
  });
});
