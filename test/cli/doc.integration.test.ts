// `fleetplay doc NAME` through the real CLI: a module's arguments, example and return values; a
// misspelt name gets the nearest module suggested and exit 5; a module left out on purpose says why.
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

  it('says why win_updates is left out', async () => {
    const r = await fleetplay(['doc', 'ansible.windows.win_updates']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^fleetplay: no module named 'ansible.windows.win_updates': win_updates is out of scope: .*Windows Update Agent COM API.* win_reboot afterwards\.\n$/);
  });
});
