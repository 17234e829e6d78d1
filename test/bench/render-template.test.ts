import { describe, expect, it } from 'vitest';
import { renderTemplate, templateRenderer } from '../../bench/floor/render-template.js';
import { reference } from '../support/bench-workload.js';

describe('bench floors: per-host template rendering', () => {
  const hosts = [
    { name: 'linux-01', address: '198.18.8.10' },
    { name: 'linux-02', address: '198.18.8.11' },
    { name: 'linux-03', address: '198.18.8.12' },
  ];

  it('renders the reference template for a host as Ansible does (position in the group, trailing newline)', async () => {
    const w = await reference();
    const text = templateRenderer(w.templates, 'fleet', hosts)('linux-02')('templates/agent.conf.j2');
    expect(text).toContain('hostname = linux-02\naddress = 198.18.8.11\n');
    expect(text).toContain('node_index = 1\nnode_count = 3\n');
    expect(text).not.toContain('{{');
    expect(text.endsWith('mtu = 4092\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(21);
  });

  it('refuses what it cannot render instead of writing a different file', () => {
    const ctx = { host: hosts[0]!, groups: new Map([['fleet', hosts.map((h) => h.name)]]) };
    expect(() => renderTemplate('{{ ansible_hostname }}', ctx)).toThrow(/'ansible_hostname' is not one the floors can render/);
    expect(() => renderTemplate('{% if x %}a{% endif %}', ctx)).toThrow(/statements/);
    expect(() => renderTemplate("{{ groups['gpu'] | length }}", ctx)).toThrow(/no group 'gpu'/);
    expect(renderTemplate("{{ groups[\"fleet\"]|length }}/{{inventory_hostname}}", ctx)).toBe('3/linux-01');
  });
});
