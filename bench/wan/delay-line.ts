// One direction of an emulated WAN link, in user space (for kernels without netem): every chunk
// leaves `delayMs` (± jitter) after it arrived, in arrival order, as on a link that delays packets
// but never reorders a TCP stream.
import type { LinkShape } from './netem.js';

/** When a chunk that arrives at `now` leaves: after the delay, never before the chunk ahead of it. */
export function departure(now: number, previous: number, shape: LinkShape, u: number): number {
  const jitter = shape.jitterMs > 0 ? (2 * u - 1) * shape.jitterMs : 0;
  return Math.max(now + Math.max(0, shape.delayMs + jitter), previous);
}

export interface Clock {
  now(): number;
  setTimer(fn: () => void, ms: number): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => void setTimeout(fn, ms),
};

export class DelayLine<T> {
  private readonly queue: { at: number; item: T }[] = [];
  private previous = 0;
  private armed = false;

  constructor(
    private readonly shape: LinkShape,
    private readonly deliver: (item: T) => void,
    private readonly clock: Clock = realClock,
    private readonly random: () => number = Math.random,
  ) {}

  push(item: T): void {
    const at = departure(this.clock.now(), this.previous, this.shape, this.random());
    this.previous = at;
    this.queue.push({ at, item });
    this.arm();
  }

  /** Chunks still on the link. */
  get pending(): number {
    return this.queue.length;
  }

  private arm(): void {
    if (this.armed || !this.queue.length) return;
    this.armed = true;
    this.clock.setTimer(() => this.flush(), Math.max(0, this.queue[0]!.at - this.clock.now()));
  }

  private flush(): void {
    this.armed = false;
    // Timers may fire a little early or late: deliver whatever is due, in order.
    while (this.queue.length && this.queue[0]!.at <= this.clock.now() + 0.5) this.deliver(this.queue.shift()!.item);
    this.arm();
  }
}
