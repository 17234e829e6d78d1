// File times on the lab disk: CreationTimeUtc beside LastWriteTimeUtc, and File/Directory
// .SetLastWriteTimeUtc (what touch does on Windows), with .NET's error for a missing file.
import { describe, expect, it } from 'vitest';
import { testHost } from '../../support/windows-host-runtime.js';

describe('file times', () => {
  it('sets the last write time of a file and of a directory', () => {
    const h = testHost();
    h.ps("New-Item -ItemType Directory -Path C:\\d | Out-Null; Set-Content -Path C:\\d\\f.txt -Value x");
    const when = "[DateTimeOffset]::FromUnixTimeSeconds(1000000000).UtcDateTime";
    expect(h.ps(`[System.IO.File]::SetLastWriteTimeUtc('C:\\d\\f.txt', ${when}); [DateTimeOffset]::new((Get-Item C:\\d\\f.txt).LastWriteTimeUtc).ToUnixTimeSeconds()`).stdout).toBe('1000000000\r\n');
    expect(h.ps(`[System.IO.Directory]::SetLastWriteTimeUtc('C:\\d', ${when}); [DateTimeOffset]::new((Get-Item C:\\d).LastWriteTimeUtc).ToUnixTimeSeconds()`).stdout).toBe('1000000000\r\n');
    expect(h.ps('(Get-Item C:\\d\\f.txt).CreationTimeUtc -is [DateTime]').stdout).toBe('True\r\n');
    expect(h.ps("[System.IO.File]::SetLastWriteTimeUtc('C:\\d\\nope.txt', [DateTime]::UtcNow)").errors[0]).toContain("Could not find file 'C:\\d\\nope.txt'.");
  });
});
