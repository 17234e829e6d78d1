// How a command's end is reported alike by the local and SSH transports: an interrupted command
// rejects with the signal's reason, and what the transport itself has to say (a timeout, a missing
// exit status, a refused become) goes on a line of its own at the end of stderr.

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
