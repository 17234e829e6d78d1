// Invoke-WebRequest on the lab host: downloads from a server on the lab network (here loopback, in
// another process), the 5.1 errors for missing pages and unreachable hosts, and no way out of the lab.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testHost } from '../../support/windows-host-runtime.js';
import { startFileServer, type FileServer } from '../../../../../test/support/file-server.js';

const payload = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
let server: FileServer;
beforeAll(async () => {
  server = await startFileServer({
    '/pkg/MLNX_WinOF2-3_10_50000_All_x64.exe': { body: payload },
    '/moved': { redirect: '/pkg/MLNX_WinOF2-3_10_50000_All_x64.exe' },
    '/broken': { status: 500, body: 'mirror is broken' },
    '/hello': { body: 'hello from the mirror' },
  });
});
afterAll(() => server?.close());

describe('Invoke-WebRequest', () => {
  it('downloads to -OutFile byte for byte, following redirects', () => {
    const h = testHost();
    const r = h.ps([
      `Invoke-WebRequest -Uri '${server.url}/pkg/MLNX_WinOF2-3_10_50000_All_x64.exe' -OutFile C:\\Windows\\Temp\\a.exe -UseBasicParsing`,
      `iwr '${server.url}/moved' -OutFile C:\\Windows\\Temp\\b.exe -UseBasicParsing`,
      '(Get-FileHash C:\\Windows\\Temp\\a.exe).Hash; (Get-FileHash C:\\Windows\\Temp\\b.exe).Hash; (Get-Item C:\\Windows\\Temp\\a.exe).Length',
    ].join('\n'));
    const hex = createHash('sha256').update(payload).digest('hex').toUpperCase();
    expect(r.errors).toEqual([]);
    expect(r.stdout.split('\r\n').filter(Boolean)).toEqual([hex, hex, String(payload.length)]);
  });

  it('returns a response object with -UseBasicParsing, and asks for it otherwise', () => {
    const h = testHost();
    const r = h.ps(`$r = Invoke-WebRequest -Uri '${server.url}/hello' -UseBasicParsing; $r.StatusCode; $r.Content\nInvoke-WebRequest -Uri '${server.url}/hello'`);
    expect(r.stdout).toBe('200\r\nhello from the mirror\r\n');
    expect(r.errors[0]).toMatch(/^Invoke-WebRequest : The response content cannot be parsed because the Internet Explorer engine is not available/);
  });

  it('fails like Windows PowerShell 5.1: missing page, error page text, nothing listening, no DNS, no internet', () => {
    const h = testHost();
    const first = (uri: string): string => h.ps(`Invoke-WebRequest -Uri '${uri}' -OutFile C:\\Windows\\Temp\\x -UseBasicParsing`).errors[0]!;
    expect(first(`${server.url}/nope`)).toBe('Invoke-WebRequest : The remote server returned an error: (404) Not Found.');
    expect(first(`${server.url}/broken`)).toBe('Invoke-WebRequest : mirror is broken');
    expect(first('http://127.0.0.1:9/x')).toBe('Invoke-WebRequest : Unable to connect to the remote server');
    expect(first('http://content.mellanox.com/x')).toBe("Invoke-WebRequest : The remote name could not be resolved: 'content.mellanox.com'");
    expect(first('http://192.0.2.1/x')).toBe('Invoke-WebRequest : Unable to connect to the remote server');
    const e = h.ps(`try { Invoke-WebRequest '${server.url}/nope' -UseBasicParsing } catch { $_.FullyQualifiedErrorId; $_.Exception.GetType().FullName }`);
    expect(e.stdout).toBe('WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand\r\nSystem.Net.WebException\r\n');
    expect(h.state().files['c:\\windows\\temp\\x']).toBeUndefined();
  });
});
