// A small Windows filesystem (drive C: only) over the persisted state: case-insensitive paths, `/` and
// `\` both accepted, directories must exist before files go in them, errors worded like .NET's.

import { CmdletError, errorInfo } from '../ps/errors.js';
import type { FileEntry, StateStore } from './state.js';

export class FsError extends CmdletError {}

const notFound = (path: string, kind: 'item' | 'part'): FsError =>
  new FsError(kind === 'item'
    ? errorInfo(`Cannot find path '${path}' because it does not exist.`, 'ObjectNotFound', 'PathNotFound', 'ItemNotFoundException', path)
    : errorInfo(`Could not find a part of the path '${path}'.`, 'ObjectNotFound', 'DirectoryNotFoundException', 'DirectoryNotFoundException', path));

export class LabFs {
  constructor(
    private readonly store: StateStore,
    public cwd = 'C:\\Users\\Administrator',
  ) {}

  private get files(): Record<string, FileEntry> {
    return this.store.state.files;
  }

  /** Absolute, normalized display path (C:\a\b). Throws for drives other than C:. */
  resolve(path: string): string {
    let p = path.replace(/\//g, '\\').trim();
    p = p.replace(/^(microsoft\.powershell\.core\\)?filesystem::/i, '');
    if (/^[A-Za-z]:$/.test(p)) p += '\\';
    if (!/^[A-Za-z]:\\/.test(p)) p = p.startsWith('\\') ? 'C:' + p : `${this.cwd}\\${p}`;
    const drive = p[0]!.toUpperCase();
    if (drive !== 'C') {
      throw new FsError(errorInfo(`Cannot find drive. A drive with the name '${drive}' does not exist.`, 'ObjectNotFound', 'DriveNotFound', 'DriveNotFoundException', drive));
    }
    const parts: string[] = [];
    for (const seg of p.slice(3).split('\\')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') parts.pop();
      else parts.push(seg);
    }
    return 'C:\\' + parts.join('\\');
  }

  private key(abs: string): string {
    return abs.toLowerCase();
  }

  entry(path: string): FileEntry | undefined {
    const abs = this.resolve(path);
    if (abs === 'C:\\') return { type: 'dir', path: abs, mtimeMs: 0 };
    return this.files[this.key(abs)];
  }

  exists(path: string): boolean {
    return this.entry(path) !== undefined;
  }

  parentOf(abs: string): string {
    const i = abs.lastIndexOf('\\');
    return i <= 2 ? 'C:\\' : abs.slice(0, i);
  }

  read(path: string): Buffer {
    const e = this.entry(path);
    const abs = this.resolve(path);
    if (!e) throw notFound(abs, this.entry(this.parentOf(abs)) ? 'item' : 'part');
    if (e.type === 'dir') throw new FsError(errorInfo(`Access to the path '${abs}' is denied.`, 'PermissionDenied', 'UnauthorizedAccessException', 'UnauthorizedAccessException', abs));
    return this.store.getBlob(e.sha256);
  }

  write(path: string, data: Buffer, append = false): void {
    const abs = this.resolve(path);
    const parent = this.entry(this.parentOf(abs));
    if (!parent || parent.type !== 'dir') throw notFound(abs, 'part');
    const existing = this.files[this.key(abs)];
    if (existing?.type === 'dir') throw new FsError(errorInfo(`Access to the path '${abs}' is denied.`, 'PermissionDenied', 'UnauthorizedAccessException', 'UnauthorizedAccessException', abs));
    const content = append && existing ? Buffer.concat([this.store.getBlob(existing.sha256), data]) : data;
    const sha256 = this.store.putBlob(content);
    this.files[this.key(abs)] = { type: 'file', path: abs, sha256, size: content.length, mtimeMs: Date.now() };
  }

  /** Sets an existing entry's last write time (File/Directory.SetLastWriteTime). */
  touch(path: string, when: Date): void {
    const abs = this.resolve(path);
    const e = this.files[this.key(abs)];
    if (!e) throw notFound(abs, this.entry(this.parentOf(abs)) ? 'item' : 'part');
    e.mtimeMs = when.getTime();
  }

  mkdir(path: string): void {
    const abs = this.resolve(path);
    if (abs === 'C:\\') return;
    const existing = this.files[this.key(abs)];
    if (existing?.type === 'file') {
      throw new FsError(errorInfo(`An item with the specified name ${abs} already exists.`, 'ResourceExists', 'DirectoryExist', 'IOException', abs));
    }
    if (existing) return;
    this.mkdir(this.parentOf(abs));
    this.files[this.key(abs)] = { type: 'dir', path: abs, mtimeMs: Date.now() };
  }

  children(path: string): FileEntry[] {
    const abs = this.resolve(path);
    const prefix = this.key(abs === 'C:\\' ? 'C:' : abs) + '\\';
    return Object.values(this.files).filter((e) => e.path.toLowerCase().startsWith(prefix) && !e.path.slice(prefix.length).includes('\\'))
      .sort((a, b) => a.path.localeCompare(b.path));
  }

  remove(path: string, recurse: boolean): void {
    const abs = this.resolve(path);
    const e = this.entry(abs);
    if (!e) throw notFound(abs, 'item');
    if (e.type === 'dir') {
      const prefix = this.key(abs) + '\\';
      const inside = Object.keys(this.files).filter((k) => k.startsWith(prefix));
      if (inside.length && !recurse) {
        throw new FsError(errorInfo(`The item at ${abs} has children and the Recurse parameter was not specified.`, 'InvalidOperation', 'DirectoryNotEmpty', 'IOException', abs));
      }
      for (const k of inside) delete this.files[k];
    }
    delete this.files[this.key(abs)];
  }

  move(from: string, to: string, overwrite: boolean): void {
    const src = this.resolve(from);
    let dst = this.resolve(to);
    const e = this.entry(src);
    if (!e) throw notFound(src, 'item');
    const target = this.entry(dst);
    if (target?.type === 'dir') dst = `${dst}\\${src.slice(src.lastIndexOf('\\') + 1)}`;
    const existing = this.entry(dst);
    if (existing && !overwrite) {
      throw new FsError(errorInfo('Cannot create a file when that file already exists.', 'WriteError', 'MoveFileInfoItemIOError', 'IOException', src));
    }
    if (e.type === 'file') {
      this.write(dst, this.store.getBlob(e.sha256));
      delete this.files[this.key(src)];
      return;
    }
    const prefix = this.key(src);
    for (const [k, v] of Object.entries(this.files)) {
      if (k === prefix || k.startsWith(prefix + '\\')) {
        delete this.files[k];
        const moved = dst + v.path.slice(src.length);
        this.files[this.key(moved)] = { ...v, path: moved };
      }
    }
  }
}
