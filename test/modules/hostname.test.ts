// hostname planning on recorded values (the machine's own name is never changed here; the lab test
// renames lab hosts, which have their own UTS namespace).
import { describe, expect, it } from 'vitest';
import { hostname, hostnameFromFile, planHostname } from '../../src/modules/hostname.js';

describe('hostname', () => {
  it('reads the name from /etc/hostname text, skipping comments', () => {
    expect(hostnameFromFile('# set by cloud-init\n\nnode-01\n')).toBe('node-01');
    expect(hostnameFromFile('')).toBe('');
  });

  it('changes only the half that differs, with a diff and new facts', () => {
    const both = planHostname({ name: 'hpc-017.fabric.example' }, { permanent: 'old', running: 'old' });
    expect(both.changes).toEqual([{ kind: 'file', content: 'hpc-017.fabric.example\n' }, { kind: 'running', name: 'hpc-017.fabric.example' }]);
    expect(both.diff?.[0]).toEqual({ kind: 'text', path: '/etc/hostname', before: 'old\n', after: 'hpc-017.fabric.example\n' });
    expect(both.facts).toMatchObject({ ansible_hostname: 'hpc-017', ansible_domain: 'fabric.example' });
    expect(planHostname({ name: 'n1' }, { permanent: 'n1', running: 'x' }).changes).toEqual([{ kind: 'running', name: 'n1' }]);
    expect(planHostname({ name: 'n1' }, { permanent: null, running: 'n1' }).changes).toEqual([{ kind: 'file', content: 'n1\n' }]);
    expect(planHostname({ name: 'n1' }, { permanent: 'n1', running: 'n1' }).changes).toEqual([]);
  });

  it('refuses a name that is not a host name', () => {
    expect(planHostname({ name: 'bad_name!' }, { permanent: 'a', running: 'a' }).failed).toMatch(/is not a valid host name/);
    expect(hostname.meta.name).toBe('hostname');
  });
});
