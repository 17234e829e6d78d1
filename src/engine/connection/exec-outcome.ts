// What the local and SSH transports do alike around a running command: decode its output (UTF-8
// split across chunks), stop it on a timeout or an interrupt, and report its end — an interrupted
// command rejects with the signal's reason, and what the transport itself has to say (a timeout, a
// missing exit status, a refused become) goes on a line of its own at the end of stderr.
import { StringDecoder } from 'node:string_decoder';

/** stdout and stderr as text; the transport decides where decoded text goes (e.g. a sudo prompt). */
export class CommandOutput {
  private readonly outDecoder = new StringDecoder('utf8');
  private readonly errDecoder = new StringDecoder('utf8');
  stdout = '';
  stderr = '';
  decodeOut(chunk: Buffer): string {
    return this.outDecoder.write(chunk);
  }
  decodeErr(chunk: Buffer): string {
    return this.errDecoder.write(chunk);
  }
  /** Adds what the decoders still hold (an incomplete character at the very end). */
  finish(): void {
    this.stdout += this.outDecoder.end();
    this.stderr += this.errDecoder.end();
  }
}

export interface CommandWatch {
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** The command ended: stop watching. */
  done(): void;
}

/** Calls `stop` once the command's time is up or the signal aborts, remembering which. */
export function watchCommand(opts: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined }, stop: () => void): CommandWatch {
  let timedOut = false;
  let aborted = false;
  const timer =
    opts.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          stop();
        }, opts.timeoutMs)
      : undefined;
  const onAbort = () => {
    aborted = true;
    stop();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    get timedOut() {
      return timedOut;
    },
    get aborted() {
      return aborted;
    },
    done() {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** The error an aborted command rejects with: the AbortSignal's reason when that is an Error. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const e = new Error('interrupted');
  e.name = 'AbortError';
  return e;
}

/** `text` with `note` added as its last line. */
export function withNote(text: string, note: string): string {
  return `${text}${text && !text.endsWith('\n') ? '\n' : ''}${note}\n`;
}

export function timeoutNote(timeoutMs: number | undefined): string {
  return `command timed out after ${timeoutMs} ms`;
}
