// What the local and SSH transports share: on a POSIX host every file operation is one command from
// posix-files.ts sent through the transport's own exec, so only exec and uploads differ between them.
import type {
  Connection,
  ExecOptions,
  ExecResult,
  FileOpOptions,
  FileStat,
  WriteOptions,
  WriteResult,
} from '../contract/connection.js';
import { type PosixFileOp, readFileOp, statOp, writeFileOp } from './posix-files.js';

export abstract class PosixConnection implements Connection {
  abstract readonly transport: 'local' | 'ssh';
  readonly shell = 'posix' as const;

  abstract connect(): Promise<void>;
  abstract exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  abstract putFile(localPath: string, remotePath: string, opts?: WriteOptions): Promise<WriteResult>;
  abstract close(): Promise<void>;

  readFile(path: string, opts: FileOpOptions = {}): Promise<{ data: Buffer; stat: FileStat } | null> {
    return this.runOp(readFileOp(path), opts);
  }

  writeFile(path: string, data: Buffer | string, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.runOp(writeFileOp(path, data, opts), opts);
  }

  stat(path: string, opts: FileOpOptions = {}): Promise<FileStat> {
    return this.runOp(statOp(path), opts);
  }

  protected async runOp<T>(op: PosixFileOp<T>, opts: FileOpOptions): Promise<T> {
    return op.parse(await this.exec(op.command, { stdin: op.stdin, become: opts.become, signal: opts.signal }));
  }
}
