// ansible.cfg: which file Ansible's search order picks, and the INI dialect Python's configparser reads.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findConfigFile, parseConfig } from '../../src/cli/ansible-config.js';
import { workspace, type Workspace } from '../support/workspace.js';

let ws: Workspace;
beforeAll(async () => {
  ws = await workspace('ansible-config');
  for (const d of ['proj', 'home', 'open', 'cfgdir']) await mkdir(ws.path(d));
  await writeFile(ws.path('proj/ansible.cfg'), '[defaults]\n');
  await writeFile(ws.path('home/.ansible.cfg'), '[defaults]\n');
  await writeFile(ws.path('open/ansible.cfg'), '[defaults]\n');
  await chmod(ws.path('open'), 0o777);
  await writeFile(ws.path('cfgdir/ansible.cfg'), '[defaults]\n');
  await writeFile(ws.path('named.cfg'), '[defaults]\n');
});
afterAll(async () => ws?.remove());

describe('findConfigFile', () => {
  it('takes ANSIBLE_CONFIG first (a file, or a directory holding ansible.cfg)', () => {
    expect(findConfigFile({ ANSIBLE_CONFIG: ws.path('named.cfg') }, ws.path('proj'), ws.path('home')).file).toBe(ws.path('named.cfg'));
    expect(findConfigFile({ ANSIBLE_CONFIG: ws.path('cfgdir') }, ws.path('proj'), ws.path('home')).file).toBe(ws.path('cfgdir/ansible.cfg'));
  });
  it('falls through a missing ANSIBLE_CONFIG to ./ansible.cfg, then ~/.ansible.cfg', () => {
    expect(findConfigFile({ ANSIBLE_CONFIG: ws.path('nope.cfg') }, ws.path('proj'), ws.path('home')).file).toBe(ws.path('proj/ansible.cfg'));
    expect(findConfigFile({}, ws.path('home'), ws.path('home')).file).toBe(ws.path('home/.ansible.cfg'));
    expect(findConfigFile({}, ws.path('cfgdir/..'), join(ws.dir, 'nohome')).file).toBeUndefined();
  });
  it('passes over ./ansible.cfg in a world-writable directory, saying so', () => {
    const r = findConfigFile({}, ws.path('open'), ws.path('home'));
    expect(r.file).toBe(ws.path('home/.ansible.cfg'));
    expect(r.warning).toBe(`ignoring ${ws.path('open/ansible.cfg')}: the directory ${ws.path('open')} is world writable`);
  });
});

describe('parseConfig', () => {
  it('reads sections, = and : pairs, comments, inline ; comments and continuation lines', () => {
    const text = ['# top', '[defaults]', 'Forks = 7', 'remote_user: deploy ; who logs in', 'url = http://x/;y', '; note', 'inventory = a.ini,', '    b.ini', '', '[privilege_escalation]', 'become=True'].join('\n');
    expect(parseConfig(text, 'ansible.cfg')).toEqual([
      { section: 'defaults', key: 'forks', value: '7', line: 3 },
      { section: 'defaults', key: 'remote_user', value: 'deploy', line: 4 },
      { section: 'defaults', key: 'url', value: 'http://x/;y', line: 5 },
      { section: 'defaults', key: 'inventory', value: 'a.ini,\nb.ini', line: 7 },
      { section: 'privilege_escalation', key: 'become', value: 'True', line: 11 },
    ]);
  });
  it('names file and line of what it cannot read', () => {
    expect(() => parseConfig('forks = 3\n', 'a.cfg')).toThrow(/'forks' comes before any \[section\]/);
    try {
      parseConfig('[defaults]\nforks = 3\njunk line\nFORKS = 4\n', 'a.cfg');
      expect.unreachable();
    } catch (err) {
      const ds = (err as { diagnostics: { loc: unknown; message: string }[] }).diagnostics;
      expect(ds).toEqual([
        { loc: { file: 'a.cfg', line: 3, col: 1 }, message: "expected '[section]' or 'key = value', got 'junk line'" },
        { loc: { file: 'a.cfg', line: 4, col: 1 }, message: "'forks' is set twice in [defaults] (first at line 2)" },
      ]);
    }
  });
});
