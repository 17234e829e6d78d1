// Reading every host's state and resetting hosts to fresh, inside each host (see bench-lab.ts).
import { eachHost, inHost, type BenchHost } from '../lab/bench-lab.js';
import type { StateScope } from '../workload.js';
import { compareStates, parseState, stateScript, type HostState } from './host-state.js';
import { resetScript } from './reset.js';

export async function collectStates(hosts: readonly BenchHost[], scope: StateScope): Promise<Map<string, HostState>> {
  const script = stateScript(scope.etcFile, scope.dirs);
  return eachHost(hosts, async (h) => parseState(await inHost(h, script)));
}

/** Problems per host (only hosts with problems are listed). */
export function compareAll(actual: Map<string, HostState>, expected: (host: string) => HostState): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [host, state] of actual) {
    const p = compareStates(state, expected(host));
    if (p.length) out.set(host, p);
  }
  return out;
}

/** Puts every host back to `fresh` and checks that it is. */
export async function resetHosts(hosts: readonly BenchHost[], scope: StateScope, fresh: Map<string, HostState>): Promise<void> {
  await eachHost(hosts, (h) => inHost(h, resetScript(fresh.get(h.name)!, scope.etcFile, scope.dirs)));
  const after = await collectStates(hosts, scope);
  const problems = compareAll(after, (h) => fresh.get(h)!);
  if (problems.size) {
    const [host, p] = [...problems][0]!;
    throw new Error(`bench: resetting hosts failed on ${problems.size} host(s), e.g. ${host}: ${p.slice(0, 3).join('; ')}`);
  }
}

/** A fresh host must have the file the workload edits and its (empty) working directories. */
export function checkFresh(states: Map<string, HostState>, scope: StateScope): void {
  for (const [host, s] of states) {
    const f = s.get(scope.etcFile);
    if (f?.type !== 'f') throw new Error(`bench: lab host ${host} has no ${scope.etcFile}`);
    for (const d of scope.dirs) if (s.get(d)?.type !== 'd') throw new Error(`bench: lab host ${host} has no directory ${d} (the workload needs it)`);
  }
}
