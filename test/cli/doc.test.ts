// `fleetplay doc NAME` through the real CLI: a module's arguments, example and return values; a
// misspelt name gets the nearest module suggested and exit 5.
import { describe, expect, it } from 'vitest';
import { fleetplay } from '../support/cli.js';

describe('fleetplay doc', () => {
  it('lists the return values of a module', async () => {
    const r = await fleetplay(['doc', 'lineinfile']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Returns (registered result):');
    expect(r.stdout).toMatch(/^ {2}backup_file: The backup made/m);
  });

  it('suggests the nearest module name on a typo', async () => {
    const r = await fleetplay(['doc', 'lineinfle']);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe("fleetplay: no module named 'lineinfle' (did you mean 'lineinfile'?)\n");
  });
});
