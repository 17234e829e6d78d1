import { describe, expect, it } from 'vitest';
import { renderTemplateFile } from '../../../src/engine/template/index.js';
import { errorOf, layer } from '../../support/template-helpers.js';

// The shape of the benchmark workload's agent.conf.j2: magic variables, list methods, filters.
const AGENT_CONF = `# {{ ansible_managed }}
[agent]
hostname = {{ inventory_hostname }}
address = {{ ansible_host }}
{% if rdma_enabled | bool %}
rdma = on
{% endif %}
[cluster]
node_index = {{ groups['fleet'].index(inventory_hostname) }}
node_count = {{ groups['fleet'] | length }}
peers = {{ groups['fleet'] | reject('equalto', inventory_hostname) | join(',') }}
`;

describe('renderTemplateFile', () => {
  const magic = layer({ inventory_hostname: 'node02', groups: { fleet: ['node01', 'node02', 'node03'] } }, false, undefined, 'magic');
  const hostVars = layer({ ansible_host: '198.18.0.12', rdma_enabled: 'yes' }, true, undefined, 'inventory');

  it('renders a host-specific config file', () => {
    expect(renderTemplateFile(AGENT_CONF, 'templates/agent.conf.j2', [hostVars, magic])).toBe(
      '# Managed by fleetplay\n[agent]\nhostname = node02\naddress = 198.18.0.12\nrdma = on\n[cluster]\nnode_index = 1\nnode_count = 3\npeers = node01,node03\n',
    );
  });

  it('lets the play override ansible_managed and exposes template_path', () => {
    const out = renderTemplateFile('{{ ansible_managed }} from {{ template_path }}', 'templates/x.j2', [layer({ ansible_managed: 'Ours' })]);
    expect(out).toBe('Ours from templates/x.j2');
  });

  it('points errors into the template file at line:col', () => {
    const err = errorOf(() => renderTemplateFile('line1\n\n  x = {{ missing }}\n', 'templates/t.j2', []));
    expect(err.message).toBe("templates/t.j2:3:10: undefined variable 'missing'");
    expect(errorOf(() => renderTemplateFile('ok\n{% for x in l %}\n', 'templates/t.j2', [layer({ l: [] })])).message).toBe(
      'templates/t.j2:3:1: template error: unexpected end of the template',
    );
    expect(errorOf(() => renderTemplateFile('a\n{{ x | lenght }}', 'templates/t.j2', [layer({ x: 1 })])).message).toBe(
      "templates/t.j2:2:8: no filter named 'lenght' (did you mean 'length'?)",
    );
  });

  it('never produces native values and keeps the trailing newline', () => {
    expect(renderTemplateFile('{{ n }}', 't.j2', [layer({ n: 5 })])).toBe('5');
    expect(renderTemplateFile('{{ l }}\n', 't.j2', [layer({ l: [1] })])).toBe('[1]\n');
  });

  it('drops the newline after a block or comment tag (trim_blocks), not after an expression', () => {
    expect(renderTemplateFile('a\n{# note #}\nb\n{% if x %}\nc\n{% endif %}\n{{ x }}\nd\n', 't.j2', [layer({ x: 1 })])).toBe('a\nb\nc\n1\nd\n');
    expect(renderTemplateFile('{# crlf #}\r\nz', 't.j2', [layer({})])).toBe('z');
  });

  it('does not support include/extends (no template search path)', () => {
    expect(errorOf(() => renderTemplateFile('{% extends "base.j2" %}', 't.j2', [])).message).toContain("'extends' is not supported");
  });
});
