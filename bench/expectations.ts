// For each kind of run, what every host must look like afterwards and what its recap must count,
// from the hosts' fresh states and the workload (see state/expected-state.ts).
import { templateRenderer } from './floor/render-template.js';
import type { BenchHost } from './lab/bench-lab.js';
import type { Expectation } from './run-one.js';
import { expectCheckChanged, expectRun } from './state/expected-state.js';
import type { HostState } from './state/host-state.js';
import type { RunKind } from './tools/tool.js';
import type { LoadedWorkload } from './workload.js';

export type Expectations = Record<RunKind, (host: string) => Expectation>;

export function buildExpectations(fresh: Map<string, HostState>, w: LoadedWorkload, hosts: readonly BenchHost[]): Expectations {
  const render = templateRenderer(w.templates, w.group, hosts);
  const first = new Map<string, Expectation>();
  const second = new Map<string, Expectation>();
  const check = new Map<string, Expectation>();
  for (const h of hosts) {
    const f = fresh.get(h.name)!;
    const one = expectRun(f, w, render(h.name));
    first.set(h.name, one);
    // The second run starts where the first ended.
    second.set(h.name, expectRun(one.state, w, render(h.name)));
    check.set(h.name, { state: f, changed: expectCheckChanged(f, w, render(h.name)) });
  }
  const get = (m: Map<string, Expectation>) => (host: string) => {
    const e = m.get(host);
    if (!e) throw new Error(`bench: no expectation for host ${host}`);
    return e;
  };
  return { first: get(first), second: get(second), check: get(check) };
}
