// The differential suite on lab hosts: every case under test/compat/lab-cases/ runs with ansible-playbook
// and with fleetplay over SSH on the same hosts of one shared lab (each side from freshly reset hosts)
// and must come out the same — exit, recap, debug values and the files read back from the hosts — or
// differ exactly as its entry in test/compat/departures.yml says.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startLab, type TestLab } from '../support/lab-fixture.js';
import { describeLabBoth, HostPool, loadLabCases, runLabCase, type LabAspect, type LabCase, type LabOutcome } from '../compat/lab-runner.js';
import { ANSIBLE_PLAYBOOK, pool } from '../compat/runner.js';

const cases: LabCase[] = await loadLabCases();
const departures = (parse(await readFile(new URL('../compat/departures.yml', import.meta.url), 'utf8')) ?? {}) as Record<string, { differs: LabAspect[] }>;
const results = new Map<string, { ansible: LabOutcome; fleetplay: LabOutcome; diff: LabAspect[] } | Error>();
let lab: TestLab | undefined;
let identical = 0;

beforeAll(async () => {
  if (!existsSync(ANSIBLE_PLAYBOOK)) {
    throw new Error(`${ANSIBLE_PLAYBOOK} is missing: the compat suite compares with it (install ansible-core: scripts/prereqs.sh)`);
  }
  // Two hosts of each family: a two-host case takes both, one-host cases run two per family at once.
  lab = await startLab({ linux: 4, distros: ['ubuntu22.04', 'rhel8.6'] });
  const hosts = new HostPool(lab.info);
  await pool(cases, 3, async (c) => {
    results.set(c.name, await runLabCase(c, hosts).catch((e: Error) => e));
  });
}, 900_000);

afterAll(async () => {
  await lab?.down();
  console.log(`compat-lab: ${identical}/${cases.length} identical`);
  if (process.env.COMPAT_LAB_SHOW) for (const [n, r] of results) console.log(n, r instanceof Error ? r : JSON.stringify({ a: r.ansible.debug, f: r.fleetplay.debug, files: r.ansible.host_files }));
});

describe('compat cases on lab hosts', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));
  for (const c of cases) {
    it(c.name, () => {
      const r = results.get(c.name);
      expect(r, 'the case did not run').toBeDefined();
      if (r instanceof Error) throw r;
      // A case whose hosts Ansible could not reach (or that never ran) would compare nothing.
      const reached = Object.keys(r!.ansible.recap).filter((h) => r!.ansible.recap[h]!.unreachable === 0);
      expect(reached, `ansible-playbook did not run on every host:\n${r!.ansible.output}`).toEqual(Array.from({ length: c.lab.hosts }, (_, i) => `host${i + 1}`));
      const dep = departures[c.name];
      const want = dep ? [...dep.differs].sort() : [];
      expect([...r!.diff].sort(), describeLabBoth(c, r!.ansible, r!.fleetplay, r!.diff)).toEqual(want);
      if (!dep) identical++;
    });
  }
});
