// Check-mode proof with the local connection: the shipped Linux playbook and the benchmark workload,
// run with --check --diff on the machine itself (inside overlays, see support/namespace-run.ts),
// change nothing under /etc, /opt, /usr/local and /var/lib — although they report changes to make.
// The workload is then applied for real (the snapshot must change: the proof can see writes) and
// checked again (nothing left to change). The Windows playbook needs the lab's Hyper-V host.
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shQuote } from '../../src/engine/connection/quote.js';
import { STACK_TRACE } from '../support/located.js';
import { recapOf, runInOverlays } from '../support/namespace-run.js';
import { RELIABILITY_FIXTURES, REPO_ROOT, workspace, type Workspace } from '../support/workspace.js';

const WORKLOAD_DIR = join(REPO_ROOT, '../shared/bench-workload');
const STOCK_WAAGENT = join(WORKLOAD_DIR, 'files/waagent.conf');
// First on sudo's secure_path, inside the /usr/local overlay: services "run" without systemd.
const SYSTEMCTL_SHIM = [`install -m 0755 ${shQuote(join(RELIABILITY_FIXTURES, 'check-mode/systemctl'))} /usr/local/sbin/systemctl`];

let ws: Workspace;
beforeAll(async () => {
  ws = await workspace('check-proof');
  await access(join(WORKLOAD_DIR, 'workload.yml')).catch(() => {
    throw new Error(`the benchmark workload is missing: expected ${WORKLOAD_DIR}/workload.yml beside the repository`);
  });
});
afterAll(() => ws.remove());

describe('check mode changes nothing (local hosts)', () => {
  it('the benchmark workload: --check writes nothing, the real run does, a second --check finds nothing to do', async () => {
    const inv = ws.path('workload.ini');
    await writeFile(inv, '[fleet]\nh1 ansible_connection=local ansible_host=127.0.0.1\n');
    const run = (extra: string[]) => [join(WORKLOAD_DIR, 'workload.yml'), '-i', inv, ...extra];
    const [setup, check, apply, recheck] = await runInOverlays(ws.path('workload'), [
      { name: 'setup', shell: [`cp ${shQuote(STOCK_WAAGENT)} /etc/waagent.conf`, 'mkdir -p /var/lib/fleethost'] },
      { name: 'check', fleetplay: run(['--check', '--diff']) },
      { name: 'apply', fleetplay: run([]) },
      { name: 'recheck', fleetplay: run(['--check', '--diff']) },
    ]);
    for (const s of [check, apply, recheck]) expect(`${s.stdout}${s.stderr}`, s.name).not.toMatch(STACK_TRACE);
    expect(check!.code, check!.stderr).toBe(0);
    expect(recapOf(check!.stdout).h1).toMatchObject({ failed: 0, unreachable: 0 });
    expect(recapOf(check!.stdout).h1!.changed).toBeGreaterThanOrEqual(4);
    expect(check!.stdout).toContain('+OS.EnableRDMA=y');
    expect(check!.snapshot).toBe(setup!.snapshot);

    expect(apply!.code, apply!.stderr).toBe(0);
    expect(apply!.snapshot).not.toBe(setup!.snapshot);
    expect(apply!.snapshot).toMatch(/\.\/var-lib\/fleethost\/motd\n/);
    expect(recapOf(recheck!.stdout).h1).toMatchObject({ changed: 0, failed: 0 });
    expect(recheck!.snapshot).toBe(apply!.snapshot);
  }, 300_000);

  it('playbooks/infiniband.yml: --check on a stock Azure HPC-like host writes nothing', async () => {
    const inv = ws.path('hpc.ini');
    await writeFile(inv, '[hpc]\nh1 ansible_connection=local\n');
    const [setup, check] = await runInOverlays(ws.path('infiniband'), [
      { name: 'setup', shell: [`cp ${shQuote(STOCK_WAAGENT)} /etc/waagent.conf`, ...SYSTEMCTL_SHIM] },
      { name: 'check', fleetplay: [join(REPO_ROOT, 'playbooks/infiniband.yml'), '-i', inv, '--check', '--diff'] },
    ]);
    expect(`${check!.stdout}${check!.stderr}`).not.toMatch(STACK_TRACE);
    const h1 = recapOf(check!.stdout).h1;
    expect(check!.code, check!.stdout + check!.stderr).toBe(0);
    expect(h1).toMatchObject({ unreachable: 0, failed: 0 });
    // It found work to do (OFED and the agent setting), and did none of it.
    expect(h1!.changed).toBeGreaterThanOrEqual(2);
    expect(check!.stdout).toContain('+OS.EnableRDMA=y');
    expect(check!.stdout).toMatch(/RUNNING HANDLER \[restart azure agent\]/);
    expect(check!.snapshot).toBe(setup!.snapshot);
  }, 240_000);
});
