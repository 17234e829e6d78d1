// File-operation scripts and the parsers of their output.
import { describe, expect, it } from 'vitest';
import { parseRead, parseStat, parseWrite, readScript, statScript, writeScript, writeStdin } from '../../../../src/engine/connection/winrm/files.js';

describe('Windows file operations', () => {
  it('quote paths into the scripts', () => {
    expect(statScript("C:\\a'b\\c.txt")).toContain("Get-Item -LiteralPath 'C:\\a''b\\c.txt' -Force");
    expect(readScript('C:\\x')).toContain('[System.IO.File]::ReadAllBytes');
    const w = writeScript("C:\\dir\\f'.txt", { backup: true });
    expect(w).toContain("$fpPath = 'C:\\dir\\f''.txt'");
    expect(w).toContain('Move-Item -LiteralPath $fpTmp -Destination $fpPath -Force');
    expect(w).toContain("'BACKUP:'");
    expect(writeScript('C:\\f')).not.toContain('BACKUP');
  });

  it('parse stat and read output', () => {
    expect(parseStat('FLEETPLAY-ABSENT\r\n')).toEqual({ exists: false });
    expect(parseStat('\uFEFF{"exists":true,"type":"file","mtime":1700000000,"size":12}\r\n')).toEqual({ exists: true, type: 'file', mtime: 1700000000, size: 12 });
    expect(parseStat('{"exists":true,"type":"link","mtime":1,"linkTarget":"C:\\\\t"}')).toMatchObject({ type: 'link', linkTarget: 'C:\\t' });
    expect(() => parseStat('garbage')).toThrow(/unexpected stat output/);
    const data = Buffer.from('héllo\r\nworld');
    expect(parseRead(`{"exists":true,"type":"file","mtime":1,"size":${data.length}}\r\n${data.toString('base64')}\r\n`)).toEqual({
      stat: { exists: true, type: 'file', mtime: 1, size: data.length },
      data,
    });
    expect(parseRead('FLEETPLAY-ABSENT')).toBeNull();
  });

  it('write content goes as base64 lines; backups are reported', () => {
    const data = Buffer.alloc(200_000, 7);
    expect(Buffer.from(writeStdin(data).toString('ascii').replace(/\r\n/g, ''), 'base64').equals(data)).toBe(true);
    expect(parseWrite('BACKUP:C:\\f.txt.20240101-000000.bak\r\n')).toEqual({ backupPath: 'C:\\f.txt.20240101-000000.bak' });
    expect(parseWrite('')).toEqual({});
  });
});
