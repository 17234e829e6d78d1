// Where a lab lives on the machine: each lab takes one "slot", and the slot alone decides its
// addresses, interface names and namespace names, so several labs never collide and `down` can find
// everything a lab made from its slot number.
//
// 198.18.0.0/15 (RFC 2544 benchmarking space) is split into 64 slots of a /21 each: the first /22 is
// the lab's main segment (controller, bastion, up to ~1000 hosts), the second /22 the isolated
// segment behind the bastion.

export const LAB_RANGE = '198.18.0.0/15';
export const SLOT_COUNT = 64;
const RANGE_BASE = ipToInt('198.18.0.0');
const SLOT_SIZE = 2048;
const SEGMENT_SIZE = 1024;
/** First host offset inside a segment (.1 = controller or bastion, a few spare below 10). */
const FIRST_HOST = 10;
export const MAX_HOSTS_PER_SEGMENT = SEGMENT_SIZE - FIRST_HOST - 2;

export function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  return (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface SlotPlan {
  slot: number;
  /** The whole /21, unreachable from the controller except through the lab bridge. */
  guardRoute: string;
  mainSubnet: string;
  isolatedSubnet: string;
  /** The controller's address on the main bridge. */
  gateway: string;
  /** The bastion's address on the isolated segment. */
  isolatedGateway: string;
  prefixLength: number;
  mainBridge: string;
  isolatedBridge: string;
  /** Prefix of every network namespace of this lab. */
  netnsPrefix: string;
  /** Prefix of every root-side interface of this lab (bridges and veths). */
  linkPrefix: string;
}

export function slotPlan(slot: number): SlotPlan {
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) throw new Error(`lab slot ${slot} out of range`);
  const base = RANGE_BASE + slot * SLOT_SIZE;
  return {
    slot,
    guardRoute: `${intToIp(base)}/21`,
    mainSubnet: `${intToIp(base)}/22`,
    isolatedSubnet: `${intToIp(base + SEGMENT_SIZE)}/22`,
    gateway: intToIp(base + 1),
    isolatedGateway: intToIp(base + SEGMENT_SIZE + 1),
    prefixLength: 22,
    mainBridge: `fl${slot}b`,
    isolatedBridge: `fl${slot}i`,
    netnsPrefix: `fleetlab${slot}-`,
    linkPrefix: `fl${slot}`,
  };
}

/** Address of the n-th host (0-based) on a segment. The bastion takes .2 on the main segment. */
export function hostAddress(plan: SlotPlan, segment: 'main' | 'isolated', index: number): string {
  if (index >= MAX_HOSTS_PER_SEGMENT) throw new Error(`a lab segment holds at most ${MAX_HOSTS_PER_SEGMENT} hosts`);
  const base = ipToInt(plan.guardRoute.split('/')[0]!) + (segment === 'isolated' ? SEGMENT_SIZE : 0);
  return intToIp(base + FIRST_HOST + index);
}

export function bastionAddress(plan: SlotPlan): string {
  return intToIp(ipToInt(plan.gateway) + 1);
}

/** Root-side veth name of a host's n-th interface (kernel limit: 15 characters). */
export function vethName(plan: SlotPlan, hostIndex: number, nic: number): string {
  return `${plan.linkPrefix}${nic === 0 ? 'n' : 'x'}${hostIndex}`;
}
