import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/engine/contract/diagnostics.js';
import { applyLimit, loadInventory } from '../../../src/engine/inventory/index.js';
import { fixture } from '../../support/inventory-fixtures.js';

describe('--limit', () => {
  it('narrows the play hosts with a pattern, keeping the play order', async () => {
    const inv = await loadInventory([fixture('multi/a.ini'), fixture('multi/b.yml')]);
    const play = inv.select('db:web');
    expect(play).toEqual(['db01', 'web01', 'web02']);
    expect(await applyLimit(inv, play, 'web')).toEqual(['web01', 'web02']);
    expect(await applyLimit(inv, play, '!web01')).toEqual(['db01', 'web02']);
    expect(await applyLimit(inv, play, 'web02:db01')).toEqual(['db01', 'web02']);
    expect(await applyLimit(inv, play, 'nosuch')).toEqual([]);
  });

  it('reads @file one host per line, relative to the working directory', async () => {
    const inv = await loadInventory([fixture('multi/a.ini'), fixture('multi/b.yml')]);
    const play = inv.select('all');
    expect(await applyLimit(inv, play, '@retry.txt', fixture('multi'))).toEqual(['web01', 'db01']);
    expect(await applyLimit(inv, play, '@retry.txt:!db01', fixture('multi'))).toEqual(['web01']);
  });

  it('fails clearly when the @file is missing', async () => {
    const inv = await loadInventory([fixture('multi/a.ini')]);
    await expect(applyLimit(inv, ['web01'], '@missing.txt', fixture('multi'))).rejects.toThrow(UsageError);
    await expect(applyLimit(inv, ['web01'], '@missing.txt', fixture('multi'))).rejects.toThrow(/--limit @missing\.txt: cannot read .*missing\.txt \(ENOENT\)/);
  });
});
