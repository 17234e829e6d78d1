// Fault injection for reliability tests: a seam the server consults before handling each request.
// Settings come from the host config's `faults` and can be changed while the server runs.

export interface FaultSettings {
  /** Probability (0..1) of answering a request with a bare HTTP 500. */
  http500Rate?: number;
  /** After this many ms of server life, Receive requests are never answered. */
  stallReceiveAfterMs?: number;
  /** After this many ms of server life, no request is answered (the host "stops answering"). */
  stallAllAfterMs?: number;
  /** Probability (0..1) of closing the TCP connection instead of answering. */
  dropConnectionRate?: number;
}

export type FaultDecision = 'none' | 'http500' | 'drop' | 'stall';

export class FaultInjector {
  private readonly startedAt = Date.now();

  constructor(
    public settings: FaultSettings = {},
    private readonly random: () => number = Math.random,
  ) {}

  /** `isReceive` lets Receive-only stalls leave the other actions working. */
  decide(isReceive: boolean): FaultDecision {
    const age = Date.now() - this.startedAt;
    const f = this.settings;
    if (f.stallAllAfterMs !== undefined && age >= f.stallAllAfterMs) return 'stall';
    if (isReceive && f.stallReceiveAfterMs !== undefined && age >= f.stallReceiveAfterMs) return 'stall';
    if (f.dropConnectionRate && this.random() < f.dropConnectionRate) return 'drop';
    if (f.http500Rate && this.random() < f.http500Rate) return 'http500';
    return 'none';
  }
}
