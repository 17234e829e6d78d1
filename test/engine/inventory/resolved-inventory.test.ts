import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/engine/inventory/index.js';
import { fixture } from '../../support/inventory-fixtures.js';

describe('variable precedence between groups', () => {
  it('puts parents before children, same depth by name, then the host itself', async () => {
    const inv = await loadInventory([fixture('precedence/hosts.ini')]);
    // h1 is in alpha, beta, top (depth 1) and mid (depth 2, child of top).
    expect(inv.hostVars('h1')).toEqual({ level: 'host-inline', from_all: 'yes', depth_winner: 'mid', same: 'beta' });
    expect(inv.hostVars('h2')).toEqual({ level: 'top', from_all: 'yes', depth_winner: 'top', same: 'beta' });
    expect(inv.groupNames('h1')).toEqual(['alpha', 'beta', 'mid', 'top']);
    expect(inv.groupsMap().top).toEqual(['h1', 'h2']);
  });

  it('honours ansible_group_priority within a depth, but depth first', async () => {
    const inv = await loadInventory([fixture('precedence/priority.ini')]);
    const v = inv.hostVars('h1');
    expect(v.same).toBe('alpha');
    // parent has a higher priority, but a child group always wins over its parent.
    expect(v.deep).toBe('child');
  });
});

describe('group_vars and host_vars', () => {
  const inventory = fixture('vars-dirs/inventory/hosts.yml');
  const playbookDir = fixture('vars-dirs/playbook');

  it('loads them beside the inventory: files, directories of files (sorted), no extension', async () => {
    const inv = await loadInventory([inventory]);
    expect(inv.hostVars('web01')).toEqual({
      src: 'inv-gv-web', a_inline: 1, only_inv_all: 1, from_dir: 'b', src_host: 'inv-hv',
      // group_vars/all beats a group's vars written in the inventory file, as in Ansible.
      k: 'gv-all',
    });
    expect(inv.hostVars('web02')).not.toHaveProperty('src_host');
    expect(inv.groups.get('web')!.vars).toEqual({ src: 'inv-gv-web', k: 'web-inline', from_dir: 'b' });
    expect(inv.hosts.get('web01')!.vars).toEqual({ src_host: 'inv-hv' });
  });

  it('lets the playbook side win over the inventory side', async () => {
    const inv = await loadInventory([inventory], { playbookDir });
    expect(inv.hostVars('web01')).toMatchObject({ src: 'pb-gv-web', src_host: 'pb-hv', pb_all: 1, only_inv_all: 1, from_dir: 'b' });
    expect(inv.hostVars('web02')).toMatchObject({ src: 'pb-gv-web', pb_all: 1 });
  });

  it('gives the implicit localhost the all-group layers and its own host_vars', async () => {
    const inv = await loadInventory([inventory], { playbookDir });
    expect(inv.hostVars('localhost')).toEqual({ src: 'inv-gv-all', a_inline: 1, only_inv_all: 1, k: 'gv-all', pb_all: 1, ansible_connection: 'local', lh: 1 });
    // A host the inventory does not know (a delegate_to target) gets only the all layers.
    expect(inv.hostVars('elsewhere')).toEqual({ src: 'inv-gv-all', a_inline: 1, only_inv_all: 1, k: 'gv-all', pb_all: 1 });
  });

  it('returns a copy, so callers cannot change the inventory', async () => {
    const inv = await loadInventory([inventory]);
    inv.hostVars('web01').src = 'changed';
    expect(inv.hostVars('web01').src).toBe('inv-gv-web');
  });
});
