// The raw-SSH floors' shell, run for real on this machine: `ssh HOST CMD` is replaced by a stand-in
// that runs CMD locally (same stdin), against a workload whose paths live in a temp directory. The
// floors must leave exactly the state the expected-state model (and Ansible) leaves, and count the
// same changes, or their times would be the floor of a different job.
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { templateRenderer } from '../../bench/floor/render-template.js';
import { parseRecap } from '../../bench/recap.js';
import { expectCheckChanged, expectRun } from '../../bench/state/expected-state.js';
import { compareStates, parseState, stateScript } from '../../bench/state/host-state.js';
import { writeOneScriptFloor, writePerStepFloor, type FloorSpec } from '../../bench/tools/floors.js';
import type { RunKind } from '../../bench/tools/tool.js';
import { stateScope } from '../../bench/workload.js';
import { freshRoot, reference, relocate } from '../support/bench-workload.js';

const run = promisify(execFile);
// Stands in for ssh: ignores options and the host, runs the last argument as a sh command.
const FAKE_SSH = ['sh', '-c', 'for a; do last=$a; done; exec sh -c "$last"', 'fake-ssh'];
const HOST = { name: 'linux-01', address: '198.18.8.10' };
const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});

async function setup() {
  const root = await freshRoot();
  roots.push(root);
  const w = relocate(await reference(), root);
  const scope = stateScope(w);
  const state = async () => parseState((await run('sh', ['-c', stateScript(scope.etcFile, scope.dirs)])).stdout);
  const render = templateRenderer(w.templates, w.group, [HOST])(HOST.name);
  const spec: FloorSpec = { hosts: [HOST], ssh: FAKE_SSH, workload: w };
  return { root, w, state, render, spec };
}

type Floor = 'per-step' | 'one-script';

async function runFloor(floor: Floor, kind: RunKind, spec: FloorSpec, dir: string) {
  let driver: string;
  if (floor === 'per-step') {
    const r = await writePerStepFloor(kind, dir, spec);
    roots.push(r.controlDir);
    driver = r.driver;
  } else {
    driver = await writeOneScriptFloor(kind, dir, spec);
  }
  const { stdout } = await run('sh', [driver]);
  return parseRecap(stdout).get(HOST.name);
}

describe.each(['per-step', 'one-script'] as Floor[])('bench floor %s', (floor) => {
  it('first run leaves the modelled state with changed=6; the second changes nothing', async () => {
    const { root, w, state, render, spec } = await setup();
    const fresh = await state();
    const expected = expectRun(fresh, w, render);
    expect(await runFloor(floor, 'first', spec, join(root, 'run1'))).toEqual({ ok: 11, changed: 6, unreachable: 0, failed: 0 });
    expect(compareStates(await state(), expected.state)).toEqual([]);
    expect(await runFloor(floor, 'second', spec, join(root, 'run2'))).toEqual({ ok: 10, changed: 0, unreachable: 0, failed: 0 });
    expect(compareStates(await state(), expected.state)).toEqual([]);
    expect(await readFile(join(root, 'var/lib/fleethost/restarts.log'), 'utf8')).toBe('restarted\n');
  });

  it('check run writes nothing and counts what would change', async () => {
    const { root, w, state, render, spec } = await setup();
    const fresh = await state();
    const recap = await runFloor(floor, 'check', spec, join(root, 'run'));
    expect(recap?.changed).toBe(expectCheckChanged(fresh, w, render));
    expect(recap?.failed).toBe(0);
    expect(compareStates(await state(), fresh)).toEqual([]);
  });
});
