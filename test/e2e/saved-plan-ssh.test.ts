// Saved plans over SSH on two lab hosts: plan → show → apply gives the end state of a direct run; a
// file changed by hand on one host after the plan stops that host only (exit 2, task and difference
// named) while the other is applied; an edited playbook refuses the plan before any host is touched.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetplay } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const HOSTS = ['linux-01', 'linux-02'] as const;
const BASE = '/var/lib/fleethost/saved-plan';
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
const PLAYBOOK = `- hosts: linux-01:linux-02
  gather_facts: false
  become: true
  tasks:
    - name: agent config
      copy: { dest: ${BASE}/agent.conf, content: "rdma=on\\n" }
      notify: mark restart
    - name: enable rdma
      lineinfile: { path: ${BASE}/waagent.conf, regexp: '^OS.EnableRDMA=', line: OS.EnableRDMA=y }
  handlers:
    - name: mark restart
      copy: { dest: ${BASE}/restarted, content: "yes\\n" }
`;

let dir: string;
const seed = () => Promise.all(HOSTS.map((h) => lab.sh(h, `sudo rm -rf ${BASE} && sudo mkdir -p ${BASE} && printf 'OS.EnableRDMA=n\\n' | sudo tee ${BASE}/waagent.conf >/dev/null`)));
const cat = (h: string, f: string) => lab.sh(h, `sudo cat ${BASE}/${f} 2>/dev/null || echo MISSING`);
const cli = (...args: string[]) => fleetplay(args, { cwd: dir });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fp-plan-ssh-'));
  await writeFile(join(dir, 'site.yml'), PLAYBOOK);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await Promise.all(HOSTS.map((h) => lab.sh(h, `sudo rm -rf ${BASE}`)));
});

describe('plan / apply over SSH', { timeout: 240_000 }, () => {
  it('applies the reviewed plan exactly; a host changed by hand since stops alone', async () => {
    await seed();
    const plan = await cli('plan', 'site.yml', '-i', lab.inventory, '--out', 'change.fpplan');
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('PLAN saved to change.fpplan: 2 hosts, 6 to change');
    for (const h of HOSTS) expect(await cat(h, 'agent.conf')).toBe('MISSING\n');
    expect((await cli('show', 'change.fpplan')).stdout).toContain('HOST linux-02: 3 to change');

    await lab.sh('linux-02', `printf 'OS.EnableRDMA=y\\n' | sudo tee ${BASE}/waagent.conf >/dev/null`);
    const apply = await cli('apply', 'change.fpplan');
    expect(apply.code, apply.stdout + apply.stderr).toBe(2);
    expect(apply.stderr).toMatch(/drifted since plan: linux-02: enable rdma: planned: edit .*waagent\.conf.*; now: nothing to do/);
    expect(await cat('linux-01', 'agent.conf')).toBe('rdma=on\n');
    expect(await cat('linux-01', 'waagent.conf')).toBe('OS.EnableRDMA=y\n');
    expect(await cat('linux-01', 'restarted')).toBe('yes\n');
    expect(await cat('linux-02', 'agent.conf')).toBe('MISSING\n');
  });

  it('refuses a plan whose playbook was edited, naming it, touching no host', async () => {
    await seed();
    expect((await cli('plan', 'site.yml', '-i', lab.inventory, '--out', 'change.fpplan')).code).toBe(0);
    await writeFile(join(dir, 'site.yml'), PLAYBOOK.replace('rdma=on', 'rdma=off'));
    const apply = await cli('apply', 'change.fpplan');
    expect(apply.code).toBe(3);
    expect(apply.stderr).toContain('refusing the plan: site.yml changed since the plan was made');
    for (const h of HOSTS) expect(await cat(h, 'agent.conf')).toBe('MISSING\n');
  });
});
