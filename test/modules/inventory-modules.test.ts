import { describe, expect, it } from 'vitest';
import { addHost } from '../../src/modules/add-host.js';
import { groupBy } from '../../src/modules/group-by.js';
import { runModule } from '../support/module-host.js';

describe('add_host', () => {
  it('plans an inventory change with the groups and the other arguments as host vars', async () => {
    const r = await runModule(addHost, { name: 'web9:2222', groups: 'web, new', ansible_user: 'azureuser' });
    expect(r.status).toBe('changed');
    expect(r.plan.inventory).toEqual([{ host: 'web9', groups: ['web', 'new'], vars: { ansible_user: 'azureuser', ansible_port: 2222 } }]);
    expect(r.plan.result).toEqual({ add_host: { host_name: 'web9', groups: ['web', 'new'], host_vars: { ansible_user: 'azureuser', ansible_port: 2222 } } });
  });

  it('takes the host and group aliases and needs a name', async () => {
    expect((await runModule(addHost, { hostname: 'db1', group: ['db'] })).plan.inventory).toEqual([{ host: 'db1', groups: ['db'], vars: {} }]);
    expect((await runModule(addHost, { groups: ['db'] })).msg).toMatch(/needs 'name'/);
  });
});

describe('group_by', () => {
  it('puts the current host into the key group under its parents', async () => {
    const r = await runModule(groupBy, { key: 'distro_ubuntu', parents: ['linux', 'all'] });
    expect(r.status).toBe('changed');
    expect(r.plan.inventory).toEqual([{ host: r.plan.inventory![0]!.host, groups: ['distro_ubuntu'], parents: ['linux'] }]);
    expect(r.plan.result).toEqual({ add_group: 'distro_ubuntu', parent_groups: ['linux', 'all'] });
  });
});
