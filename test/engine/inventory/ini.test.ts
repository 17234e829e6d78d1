import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/engine/inventory/index.js';
import { fixture } from '../../support/inventory-fixtures.js';

describe('INI inventory', () => {
  it('reads groups, ranges with padding, letters and strides, ports and ungrouped hosts', async () => {
    const inv = await loadInventory([fixture('ini/hosts.ini')]);
    expect([...inv.hosts.keys()]).toEqual([
      'bastion', 'web01', 'web02', 'web03', 'web04', 'db-a.example', 'db-b.example', 'db-c.example', 'gpu0', 'gpu5', 'gpu10',
    ]);
    const groups = inv.groupsMap();
    expect(groups.ungrouped).toEqual(['bastion']);
    expect(groups.web).toEqual(['web01', 'web02', 'web03', 'web04']);
    expect(groups.linux).toEqual(['web01', 'web02', 'web03', 'web04', 'db-a.example', 'db-b.example', 'db-c.example']);
    expect(groups.all).toHaveLength(11);
    expect(inv.groups.get('all')!.children).toEqual(['ungrouped', 'gpu', 'linux']);
    expect(inv.groups.get('linux')!.children).toEqual(['web', 'db']);
    expect(inv.groupNames('web02')).toEqual(['linux', 'web']);
    expect(inv.groupNames('bastion')).toEqual(['ungrouped']);
  });

  it('parses values the way Ansible does: literals on host lines and in :vars, quotes removed on host lines', async () => {
    const inv = await loadInventory([fixture('ini/hosts.ini')]);
    expect(inv.hostVars('web01')).toMatchObject({ http_port: 8080, enabled: true, ansible_user: 'azureuser', ntp_server: 'time.example' });
    expect(inv.hostVars('web04')).toMatchObject({ ansible_port: 2201, ansible_user: 'deploy user', tags: ['a', 'b'] });
    // In a :vars section the quotes belong to the Python literal: "3" is the string '3'.
    expect(inv.groups.get('linux')!.vars).toEqual({ ansible_user: 'azureuser', max_fails: 3, quoted: '3', flag: 'true', mode: '0644' });
    expect(inv.hostVars('bastion')).toEqual({ ansible_host: '198.18.0.1', ansible_port: 2222, ntp_server: 'time.example' });
  });
});

describe('YAML inventory', () => {
  it('gives the same hosts, groups and variables as the equivalent INI file', async () => {
    const ini = await loadInventory([fixture('ini/hosts.ini')]);
    const yaml = await loadInventory([fixture('yaml/hosts.yml')]);
    expect(yaml.groupsMap()).toEqual(ini.groupsMap());
    for (const host of ini.hosts.keys()) {
      expect(yaml.hostVars(host), host).toEqual(ini.hostVars(host));
      expect(yaml.groupNames(host)).toEqual(ini.groupNames(host));
    }
  });

  it('merges several sources: membership is a union and the later source wins for vars', async () => {
    const inv = await loadInventory([fixture('multi/a.ini'), fixture('multi/b.yml')]);
    expect(inv.groupsMap().web).toEqual(['web01', 'web02']);
    expect(inv.hostVars('web01')).toEqual({ x: 2, y: 1 });
    expect(inv.groupsMap().db).toEqual(['db01']);
  });

  it('reads a comma-separated host list', async () => {
    const inv = await loadInventory(['web1, web2:2222,']);
    expect([...inv.hosts.keys()]).toEqual(['web1', 'web2']);
    expect(inv.hostVars('web2')).toEqual({ ansible_port: 2222 });
    expect(inv.groupsMap().ungrouped).toEqual(['web1', 'web2']);
  });
});

describe('inventory directory', () => {
  it('reads every file, recursively, skipping hidden, backup and ignored files, with its group_vars', async () => {
    const inv = await loadInventory([fixture('dir-source')]);
    expect([...inv.hosts.keys()]).toEqual(['web01', 'db01', 'gpu01']);
    expect(inv.hostVars('web01')).toEqual({ role: 'web' });
  });
});
