// The differential suite: every case under cases/ runs with ansible-playbook and with fleetplay (two cases
// at a time, both sides of each at once: 4 processes) and must come out the same, or differ exactly as its
// entry in departures.yml says. README's "Differences from Ansible" must name every departure.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/workspace.js';
import { ANSIBLE_PLAYBOOK, ASPECTS, describeBoth, differences, loadCases, pool, runSide, type Aspect, type CaseSpec, type Outcome } from './runner.js';

interface Departure {
  differs: Aspect[];
  reason: string;
  readme: string;
}

const cases: CaseSpec[] = await loadCases();
const departures = (parse(await readFile(new URL('./departures.yml', import.meta.url), 'utf8')) ?? {}) as Record<string, Departure>;
const results = new Map<string, { ansible: Outcome; fleetplay: Outcome; diff: Aspect[] }>();
let identical = 0;
let departed = 0;

beforeAll(async () => {
  if (!existsSync(ANSIBLE_PLAYBOOK)) {
    throw new Error(`${ANSIBLE_PLAYBOOK} is missing: the compat suite compares with it (install ansible-core: scripts/prereqs.sh)`);
  }
  await pool(cases, 2, async (c) => {
    const [ansible, fleetplay] = await Promise.all([runSide(c, 'ansible'), runSide(c, 'fleetplay')]);
    results.set(c.name, { ansible, fleetplay, diff: differences(ansible, fleetplay) });
  });
}, 1_800_000);

afterAll(() => {
  // Identical = no difference at all; a listed departure that differs exactly as listed is counted apart.
  console.log(`compat: ${identical}/${cases.length} identical, ${departed} differ only as listed in departures.yml, ${cases.length - identical - departed} failing`);
});

describe('compat cases', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));
  for (const c of cases) {
    it(c.name, () => {
      const r = results.get(c.name)!;
      expect(r, 'the case did not run').toBeDefined();
      const dep = departures[c.name];
      if (!dep) {
        expect(r.diff, describeBoth(c, r.ansible, r.fleetplay, r.diff)).toEqual([]);
      } else {
        expect([...r.diff].sort(), describeBoth(c, r.ansible, r.fleetplay, r.diff)).toEqual([...dep.differs].sort());
      }
      if (dep) departed++;
      else identical++;
    });
  }
});

describe('departures.yml', () => {
  it('lists only existing cases, each with a reason, the aspects it differs in and a README sentence', () => {
    const names = new Set(cases.map((c) => c.name));
    for (const [name, d] of Object.entries(departures)) {
      expect(names.has(name), `${name}: no such case`).toBe(true);
      expect(d.reason?.trim(), `${name}: reason`).toBeTruthy();
      expect(d.readme?.trim(), `${name}: readme`).toBeTruthy();
      expect(d.differs?.length, `${name}: differs`).toBeGreaterThan(0);
      for (const a of d.differs) expect(ASPECTS, `${name}: differs`).toContain(a);
    }
  });

  it("is what README's \"Differences from Ansible\" section says", async () => {
    const readme = await readFile(`${REPO_ROOT}/README.md`, 'utf8');
    const start = readme.indexOf('## Differences from Ansible');
    expect(start).toBeGreaterThan(0);
    const end = readme.indexOf('\n## ', start + 1);
    const section = readme.slice(start, end < 0 ? undefined : end).replace(/\s+/g, ' ');
    for (const [name, d] of Object.entries(departures)) {
      expect(section, `README's "Differences from Ansible" lacks the departure ${name}`).toContain(d.readme.replace(/\s+/g, ' ').trim());
    }
  });
});
