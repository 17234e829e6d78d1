// Answering sudo's password prompt on a plain (pty-less) channel. The command runs as
// `sudo -S -p MARKER … sh -c 'printf STARTED >&2; …'`: sudo prints MARKER on stderr only when it
// wants a password, and the command announces itself once sudo let it through. Until then stderr is
// held back and stdin is not sent, so the password never reaches the command and the command's
// input never reaches sudo. A second prompt means the password was wrong: give up (EOF) rather than
// loop. The password is written to the channel only — never logged, never in a message.
import { SUDO_PROMPT_MARKER } from '../become.js';
import { withNote } from '../exec-outcome.js';
import { shQuote } from '../quote.js';

export const BECOME_STARTED_MARKER = '@fleetplay:become-started';

/** Prepended to the command run under sudo, so the transport knows sudo is done asking. */
export const announceStart = `printf '%s\\n' ${shQuote(BECOME_STARTED_MARKER)} >&2`;

export interface SudoFeedResult {
  /** stderr text for the caller (markers removed). */
  passthrough: string;
  /** Text to write to the channel's stdin (the password line). */
  answer?: string;
  /** Wrong password: close stdin so sudo fails instead of asking forever. */
  giveUp?: boolean;
  /** sudo let the command through just now: send the command's own stdin. */
  started?: boolean;
}

export class SudoPrompt {
  private pending = '';
  private startedFlag = false;
  private prompts = 0;

  constructor(private readonly password: string) {}

  /** Whether sudo let the command run. */
  get started(): boolean {
    return this.startedFlag;
  }

  /** Whether sudo asked and never let the command run (wrong password, or not allowed). */
  get refused(): boolean {
    return !this.startedFlag && this.prompts > 0;
  }

  feed(text: string): SudoFeedResult {
    if (this.startedFlag) return { passthrough: text };
    this.pending += text;
    const result: SudoFeedResult = { passthrough: '' };
    let at: number;
    while ((at = this.pending.indexOf(SUDO_PROMPT_MARKER)) >= 0) {
      this.pending = this.pending.slice(0, at) + this.pending.slice(at + SUDO_PROMPT_MARKER.length);
      this.prompts++;
      if (this.prompts === 1) result.answer = `${this.password}\n`;
      else result.giveUp = true;
    }
    // On a terminal the line ends in CRLF.
    const m = new RegExp(`${BECOME_STARTED_MARKER}\\r?\\n`).exec(this.pending);
    if (m) {
      this.startedFlag = true;
      result.started = true;
      // On a terminal sudo ends the (unechoed) password line with a newline of its own: drop it.
      const before = this.pending.slice(0, m.index);
      result.passthrough = (this.prompts > 0 ? before.replace(/^\r?\n/, '') : before) + this.pending.slice(m.index + m[0].length);
      this.pending = '';
    }
    return result;
  }

  /** stderr at the end: what was held back if sudo never let the command start. */
  finalStderr(stderr: string): string {
    if (this.startedFlag) return stderr;
    const held = this.pending.split(SUDO_PROMPT_MARKER).join('');
    this.pending = '';
    const text = stderr + held;
    if (this.prompts > 0) {
      const why = /incorrect password|Sorry, try again/i.test(text) ? 'the become password was rejected' : 'sudo did not accept the become password';
      return withNote(text, `become failed: ${why}`);
    }
    return text;
  }
}
