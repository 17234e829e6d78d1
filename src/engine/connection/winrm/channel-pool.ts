// Bounded set of authenticated channels to one host. A WinRM Receive holds its HTTP connection for
// up to OperationTimeout, so commands that run at the same time need separate connections (each
// with its own NTLM context); at most `max` exist, extra callers wait their turn.
import { WinrmChannel, type WinrmAuth } from './auth-channel.js';
import type { ChannelLease, ChannelPool } from './shell.js';
import type { HttpTarget } from './transport-http.js';

export class WinrmChannelPool implements ChannelPool {
  private readonly all: WinrmChannel[] = [];
  private readonly idle: WinrmChannel[] = [];
  private readonly waiting: Array<(c: WinrmChannel) => void> = [];
  private closed = false;

  constructor(
    private readonly target: HttpTarget,
    private readonly auth: WinrmAuth,
    private readonly max: number,
  ) {}

  async acquire(): Promise<ChannelLease> {
    if (this.closed) throw new Error('the WinRM connection is closed');
    let ch = this.idle.pop();
    if (!ch && this.all.length < this.max) {
      ch = new WinrmChannel(this.target, this.auth);
      this.all.push(ch);
    }
    if (!ch) ch = await new Promise<WinrmChannel>((resolve) => this.waiting.push(resolve));
    const channel = ch;
    let released = false;
    return {
      post: (soap, signal) => channel.post(soap, signal),
      release: () => {
        if (released) return;
        released = true;
        const next = this.waiting.shift();
        if (next) next(channel);
        else this.idle.push(channel);
      },
    };
  }

  close(): void {
    this.closed = true;
    for (const c of this.all) c.close();
    this.all.length = 0;
    this.idle.length = 0;
  }
}
