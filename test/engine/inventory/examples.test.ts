import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/engine/inventory/index.js';

const example = (name: string) => fileURLToPath(new URL(`../../../inventories/${name}`, import.meta.url));

describe('example inventories', () => {
  it('azure-hpc: 40 nodes behind a bastion, Ubuntu and RHEL groups', async () => {
    const inv = await loadInventory([example('azure-hpc.yml')]);
    expect(inv.select('hpc')).toHaveLength(40);
    expect(inv.select('hpc_ubuntu')[0]).toBe('hpc-node01');
    expect(inv.select('hpc_ubuntu[-1]')).toEqual(['hpc-node32']);
    const node = inv.hostVars('hpc-rhel03');
    expect(node.ansible_ssh_common_args).toMatch(/-o ProxyJump=azureuser@198\.18\.10\.4/);
    expect(node).toMatchObject({ ansible_user: 'hpcadmin', ansible_become: true });
    expect(inv.hostVars('hpc-bastion').ansible_ssh_common_args).not.toMatch(/ProxyJump/);
  });

  it('azure-local: Hyper-V hosts over WinRM with per-host gpu_vms', async () => {
    const inv = await loadInventory([example('azure-local.yml')]);
    expect(inv.select('hyperv')).toEqual(['hci-node01', 'hci-node02', 'hci-node03']);
    expect(inv.hostVars('hci-node01')).toMatchObject({
      ansible_connection: 'winrm', ansible_winrm_transport: 'ntlm', ansible_port: 5985, gpu_vms: ['render-vm01', 'render-vm02'],
    });
    expect(inv.hostVars('hci-node03').gpu_vms).toEqual([]);
  });
});
