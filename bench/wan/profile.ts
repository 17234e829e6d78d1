// Where the fleet sits from the controller: on the LAN (the lab bridge), or across a WAN behind one
// bastion (every tool connects through it with ProxyJump), the WAN hop delayed by tc netem or, on a
// kernel without netem and only when asked, by a user-space relay.
import type { LinkShape } from './netem.js';

export const PROFILE_NAMES = ['lan', 'wan'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];
export const DELAY_METHODS = ['netem', 'relay'] as const;
export type DelayMethod = (typeof DELAY_METHODS)[number];

export interface WanShape extends LinkShape {
  method: DelayMethod;
}

/** One line for the results: what the WAN profile was. */
export function describeWan(w: WanShape): string {
  const jitter = w.jitterMs > 0 ? ` ± ${w.jitterMs} ms jitter` : '';
  const how = w.method === 'netem' ? 'tc netem on both ends of the bastion\'s link' : 'a user-space TCP relay in front of the bastion (this kernel has no netem; packets are not delayed one by one, chunks are, and a connection\'s set-up waits one round trip)';
  return `hosts behind one bastion (ProxyJump for every tool), ${w.delayMs} ms each way (${2 * w.delayMs} ms round trip)${jitter} between the controller and the bastion, by ${how}`;
}
