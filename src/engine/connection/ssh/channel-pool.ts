// Limits how many channels one connection uses at once. OpenSSH refuses sessions past MaxSessions
// (default 10) and frees a slot only after the client has seen the channel close, so a burst can
// still hit "Channel open failure": the pool then lowers its own limit to what the server accepted
// and retries after a short, growing delay. A refused open never ran anything, so a retry is safe.

export class ChannelOpenRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelOpenRefused';
  }
}

export function isChannelOpenFailure(e: unknown): boolean {
  return e instanceof Error && /Channel open failure/i.test(e.message);
}

const RETRY_BUDGET_MS = 15_000;

export class ChannelPool {
  private active = 0;
  private limit: number;
  /** Successful runs since the limit was last lowered or raised. */
  private streak = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {
    this.limit = Math.max(1, max);
  }

  /** Current concurrency limit (lowered after refusals). */
  get currentLimit(): number {
    return this.limit;
  }

  private async acquire(): Promise<void> {
    while (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }

  /**
   * Runs `fn` holding one channel slot. `fn` must throw ChannelOpenRefused (or an ssh2 "Channel open
   * failure") only when the channel could not be opened; the slot is released when `fn` settles.
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      await this.acquire();
      let refused = false;
      try {
        const result = await fn();
        // Refusals can come from a passing burst: creep back up towards the configured maximum.
        if (this.limit < this.max && ++this.streak >= 20) {
          this.limit++;
          this.streak = 0;
        }
        return result;
      } catch (e) {
        if (!(e instanceof ChannelOpenRefused || isChannelOpenFailure(e)) || Date.now() - started > RETRY_BUDGET_MS) throw e;
        refused = true;
        // The server held `active - 1` other channels when it refused this one: stay below that.
        this.limit = Math.max(1, Math.min(this.limit, this.active - 1));
        this.streak = 0;
      } finally {
        this.release();
      }
      if (refused) await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** attempt)));
    }
  }
}
