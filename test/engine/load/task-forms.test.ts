import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HandlerNode, IncludeNode, MetaNode, TaskNode } from '../../../src/engine/contract/playbook.js';
import { loadPlaybook } from '../../../src/engine/load/index.js';
import { registry } from '../../../src/modules/registry.js';
import { fixtures } from '../../support/load-helpers.js';

describe('task forms Ansible users write', async () => {
  const pb = await loadPlaybook(path.join(fixtures, 'forms/forms.yml'), { registry });
  const play = pb.plays[0]!;
  const task = (name: string) => play.items.find((i) => i.name === name) as TaskNode;

  it('reads play keywords', () => {
    expect(play).toMatchObject({ hosts: 'web:db', serial: [1, '50%'], strategy: 'free', maxFailPercentage: 20, environment: { LANG: 'C' } });
  });

  it('splits k=v strings, unquoting values', () => {
    expect(task('k=v with quotes').args).toEqual({ dest: '/etc/motd', content: 'hello world', force: 'no' });
  });

  it("splits only a free-form module's own keys and keeps the rest as written", () => {
    expect(task('free-form command with its own keys').args).toEqual({ cmd: 'echo "a  b"', creates: '/tmp/done', chdir: '/tmp' });
    expect(task('multi-line shell keeps its text').args).toEqual({ cmd: 'set -e\necho "it\'s fine" # an apostrophe\nVAR=1 ./run' });
  });

  it('takes the module from action/local_action', () => {
    expect(task('action form')).toMatchObject({ module: 'command', args: { cmd: 'uname -r' } });
    expect(task('local action mapping')).toMatchObject({ module: 'debug', args: { msg: 'on the controller' }, delegateTo: 'localhost' });
    expect(task('local action mapping').argLocs['/module']).toBeUndefined();
  });

  it('merges args: under the module arguments, which win', () => {
    const t = task("args merged under the module's own");
    expect(t.args).toEqual({ dest: '/etc/a', content: 'from args' });
    expect(t.argLocs['/content']).toMatchObject({ line: 29, col: 18 });
    expect(t.argLocs['/dest']).toMatchObject({ line: 26, col: 15 });
  });

  it('keeps with_<lookup> terms for run time, and reads loop_control', () => {
    expect(task('with_items flattens')).toMatchObject({ loop: [[1, 2], 3], loopWith: 'items', loopControl: { loopVar: 'item' } });
    expect(task('with_dict')).toMatchObject({ loop: { a: 1, b: 2 }, loopWith: 'dict' });
    expect(task('with_dict template')).toMatchObject({ loop: '{{ users }}', loopWith: 'dict' });
    expect(task('loop control')).toMatchObject({ loop: '{{ packages }}', loopControl: { loopVar: 'pkg', indexVar: 'i', label: '{{ pkg }}', pause: 1 } });
    // A templated string is located at its first character, inside the quotes.
    expect(task('loop control').loopLoc).toMatchObject({ line: 41, col: 14 });
  });

  it('reads conditions, results and retries', () => {
    const t = task('conditions');
    expect(t.when).toEqual([{ text: 'true', loc: expect.objectContaining({ line: 45, col: 13 }) }]);
    expect(t.changedWhen).toEqual([
      { text: 'rc == 0', loc: expect.objectContaining({ line: 46, col: 22 }) },
      { text: "'x' in stdout", loc: expect.objectContaining({ line: 46, col: 31 }) },
    ]);
    expect(t.failedWhen).toBe(false);
    expect(t.until?.map((u) => u.text)).toEqual(['result is succeeded']);
    expect([t.retries, t.delay, t.register]).toEqual([3, 5, 'result']);
    expect(t.tags).toEqual(['a', 'b']);
    expect(t.ignoreErrors).toEqual({ text: '{{ lenient }}', loc: expect.objectContaining({ line: 51, col: 23 }) });
    expect(t.environment).toEqual({ LANG: 'C', A: '1', B: '2' });
    expect(t.notify).toEqual(['h1', 'h2']);
  });

  it('keeps include_role for run time, searched from the playbook directory', () => {
    const inc = play.items.find((i) => i.kind === 'include_role') as IncludeNode;
    expect(inc).toMatchObject({ target: 'tools', tasksFrom: 'extra', baseDir: path.join(fixtures, 'forms') });
    expect(inc.when.map((w) => w.text)).toEqual(['want_tools']);
  });

  it('reads meta actions', () => {
    expect((play.items.at(-1) as MetaNode).action).toBe('end_play');
  });

  it('reads handlers with listen, including imported ones', () => {
    const hs = play.handlers as HandlerNode[];
    expect(hs.map((h) => [h.id, h.name, h.listen])).toEqual([
      ['p0.h0', 'h1', []],
      ['p0.h1', 'h2', ['topic']],
      ['p0.h2.t0', 'h3', ['topic']],
    ]);
    expect(hs[2]!.loc.file).toMatch(/more-handlers\.yml$/);
  });
});

describe("keyword values Ansible converts", () => {
  it('accepts quoted booleans and numbers', async () => {
    const pb = await loadPlaybook(path.join(fixtures, 'forms/quoted.yml'), { registry });
    const play = pb.plays[0]!;
    const [t0, t1] = play.items as [TaskNode, TaskNode];
    expect(play.gatherFacts).toBe(false);
    expect([t0.become, t0.retries, t0.delay]).toEqual([true, 3, 2]);
    expect(t1.name).toBe('42');
  });
});
