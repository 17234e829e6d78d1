import { describe, expect, it } from 'vitest';
import { parseWorkload, stateScope, statMode } from '../../bench/workload.js';
import { reference } from '../support/bench-workload.js';

describe('bench workload: the reference workload.yml as data', () => {
  it('reads the 10 steps and the handler with their arguments', async () => {
    const w = await reference();
    expect(w.group).toBe('fleet');
    expect(w.steps.map((s) => s.kind)).toEqual(['command', 'lineinfile', 'stat', 'command', 'copy', 'directory', 'shell', 'lineinfile', 'template', 'command']);
    const rdma = w.steps[1]!;
    expect(rdma).toMatchObject({ kind: 'lineinfile', path: '/etc/waagent.conf', regexp: '^#?\\s*OS\\.EnableRDMA=', line: 'OS.EnableRDMA=y', notify: 'restart waagent' });
    expect(w.steps[4]).toMatchObject({ kind: 'copy', dest: '/var/lib/fleethost/motd', mode: '0644' });
    expect((w.steps[4] as { content: string }).content).toMatch(/^This host is part of the fleet benchmark.*\n.*\n.*OS\.EnableRDMA=y\)\n$/);
    expect(w.steps[9]).toMatchObject({ kind: 'command', cmd: 'true' });
    expect([...w.handlers]).toEqual([['restart waagent', 'echo restarted >> /var/lib/fleethost/restarts.log']]);
    expect(w.templates.get('templates/agent.conf.j2')).toContain("{{ groups['fleet'].index(inventory_hostname) }}");
  });

  it('derives what the correctness check looks at', async () => {
    expect(stateScope(await reference())).toEqual({ etcFile: '/etc/waagent.conf', dirs: ['/var/lib/fleethost'] });
  });

  it('refuses shapes the floors cannot express, naming the task', () => {
    const play = (task: string) => `- hosts: fleet\n  gather_facts: false\n  tasks:\n${task}`;
    expect(() => parseWorkload(play('    - name: pkg\n      ansible.builtin.apt: { name: x }\n'), 'w.yml')).toThrow(/task 1 \(pkg\): module 'apt' is not one the floors implement/);
    expect(() => parseWorkload(play('    - name: c\n      ansible.builtin.command: id\n'), 'w.yml')).toThrow(/task 1 \(c\): command must have changed_when: false/);
    expect(() => parseWorkload('- hosts: fleet\n  tasks: []\n', 'w.yml')).toThrow(/gather_facts must be false/);
    expect(() =>
      parseWorkload(play("    - name: l\n      ansible.builtin.lineinfile: { path: /a, regexp: x, line: z }\n      notify: nobody\n"), 'w.yml'),
    ).toThrow(/notifies unknown handler 'nobody'/);
  });

  it('normalizes modes as stat(1) prints them', () => {
    expect(statMode('0644')).toBe('644');
    expect(statMode('755')).toBe('755');
    expect(statMode('01777')).toBe('1777');
    expect(() => statMode('rw-r--r--')).toThrow(/not an octal mode/);
  });
});
