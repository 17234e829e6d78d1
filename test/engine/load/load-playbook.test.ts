import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../../src/engine/load/index.js';
import type { HandlerNode, Play, TaskNode } from '../../../src/engine/contract/playbook.js';
import { registry } from '../../../src/modules/registry.js';
import { allIds, fixtures, outline } from '../../support/load-helpers.js';

const site = path.join(fixtures, 'site/site.yml');

describe('loadPlaybook: a whole site', async () => {
  const pb = await loadPlaybook(site, { registry });
  const [base, web] = pb.plays as [Play, Play];

  it('inlines import_playbook with its tags and vars', () => {
    expect(pb.path).toBe(site);
    expect(pb.plays.map((p) => [p.id, p.name])).toEqual([
      ['p0', 'base'],
      ['p1', 'web servers'],
    ]);
    expect(base.tags).toEqual(['base']);
    expect(base.items[0]!.tags).toEqual(['base']);
    expect(base.vars.vars).toEqual({ from_import: 1 });
    expect(base.gatherFacts).toBe(false);
    expect(web.gatherFacts).toBe(true);
  });

  it('orders pre_tasks, roles, tasks, post_tasks with flush_handlers between sections', () => {
    expect(outline(web.items)).toEqual([
      'p1.pre0 task debug',
      'p1.flush0 meta flush_handlers',
      'p1.r0.t0 task copy',
      'p1.r0.t1 task file',
      'p1.r1.t0 task copy',
      'p1.r1.t1 task file',
      'p1.t0.t0 task debug',
      'p1.t0.t1 task debug',
      'p1.t1 include_tasks tasks/dynamic.yml',
      'p1.t2 block',
      '  p1.t2.b0 task command',
      '  p1.t2.r0 task debug',
      '  p1.t2.a0 task debug',
      'p1.t3 meta flush_handlers',
      'p1.t4.t0 task command',
      'p1.flush1 meta flush_handlers',
      'p1.post0 task debug',
    ]);
    const implicit = web.items.find((i) => i.id === 'p1.flush1')!;
    expect(implicit.tags).toEqual(['always']);
  });

  it('puts role handlers before the play handlers, each role once', () => {
    expect(web.handlers.map((h) => [h.id, h.name, h.role?.name])).toEqual([
      ['p1.r0.h0', 'restart web', 'web'],
      ['p1.t4.h0', 'restart db', 'db'],
      ['p1.h0', 'play handler', undefined],
    ]);
    expect((web.handlers[2] as HandlerNode).listen).toEqual(['web changed']);
  });

  it('applies import_tasks keywords to each imported task', () => {
    const [one, two] = web.items.filter((i) => i.id.startsWith('p1.t0.')) as [TaskNode, TaskNode];
    expect(one.when.map((w) => w.text)).toEqual(['do_common']);
    expect(two.when.map((w) => w.text)).toEqual(['do_common', 'two_ok']);
    expect(two.tags).toEqual(['common', 'two']);
    expect(one.vars.vars).toEqual({ x: 1 });
    expect(one.become).toBe(false);
    expect(one.baseDir).toBe(path.join(fixtures, 'site/tasks'));
    expect(two.when[0]!.loc.file).toMatch(/site\.yml$/);
    expect(two.when[1]!.loc.file).toMatch(/common\.yml$/);
  });

  it('reads roles with defaults, vars and role parameters', () => {
    // `roles:` entries first, then the role import_role brings in (its defaults and vars are play-wide).
    expect(web.roles.map((r) => r.name)).toEqual(['web', 'web', 'db']);
    expect(web.roles[0]!.defaults.vars).toEqual({ site_name: 'default', web_port: 80 });
    expect(web.roles[0]!.vars.vars).toEqual({ web_user: 'www' });
    expect(web.roles[0]!.dir).toBe(path.join(fixtures, 'site/roles/web'));
    const second = web.items.find((i) => i.id === 'p1.r1.t0') as TaskNode;
    expect(second.role?.name).toBe('web');
    expect(second.when.map((w) => w.text)).toEqual(['enable_second']);
    expect(second.tags).toEqual(['second']);
    expect(second.vars.vars).toEqual({ site_name: 'second' });
    const first = web.items.find((i) => i.id === 'p1.r0.t0') as TaskNode;
    expect(first.vars.vars).toEqual({});
    expect(first.notify).toEqual(['restart web']);
  });

  it('reads vars_files in order, takes the first existing alternative, defers templated paths', () => {
    expect(web.varsFiles.map((v) => v.vars)).toEqual([{ common_var: 'c' }, { fallback_var: 'f' }, {}]);
    expect(web.varsFiles[2]!.deferredPath?.text).toBe('vars/{{ ansible_os_family }}.yml');
    expect(web.varsFiles[0]!.locs['/common_var']).toMatchObject({ line: 1, col: 13 });
  });

  it('passes block keywords down and keeps the block', () => {
    const block = web.items.find((i) => i.kind === 'block')!;
    if (block.kind !== 'block') throw new Error('not a block');
    expect(block.name).toBe('guarded');
    for (const child of [...block.block, ...block.rescue, ...block.always]) {
      expect(child.when.map((w) => w.text)).toEqual(['blk']);
      expect(child.tags).toEqual(['blk']);
    }
  });

  it('copies play keywords onto tasks and handlers, but not play vars', () => {
    expect(web.become).toBe(true);
    const post = web.items.at(-1) as TaskNode;
    expect(post.become).toBe(true);
    expect(post.vars.vars).toEqual({});
    expect(web.handlers.every((h) => h.become === true)).toBe(true);
  });

  it('gives YAML 1.1 values: yes/no booleans and 0644 octal', () => {
    const copy = web.items.find((i) => i.id === 'p1.r0.t0') as TaskNode;
    expect(copy.args.mode).toBe(0o644);
    const dir = web.items.find((i) => i.id === 'p1.r0.t1') as TaskNode;
    expect(dir.args).toEqual({ path: '/srv/web', state: 'directory', mode: '0755' });
  });

  it('keeps an include as an IncludeNode with its loop', () => {
    const inc = web.items.find((i) => i.kind === 'include_tasks')!;
    expect(inc).toMatchObject({ kind: 'include_tasks', target: 'tasks/dynamic.yml', loop: ['a', 'b'], loopControl: { loopVar: 'item' } });
    expect(inc.baseDir).toBe(path.join(fixtures, 'site'));
  });

  it('gives every node a unique id', () => {
    const ids = pb.plays.flatMap((p) => [p.id, ...allIds(p.items), ...allIds(p.handlers)]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('records where each argument is', () => {
    const copy = web.items.find((i) => i.id === 'p1.r0.t0') as TaskNode;
    expect(copy.argLocs['']).toMatchObject({ line: 2, col: 3 });
    expect(copy.argLocs['/dest']).toMatchObject({ line: 4, col: 11 });
    expect(copy.argLocs['/dest']!.file).toMatch(/roles\/web\/tasks\/main\.yml$/);
  });
});

describe('loadPlaybook: the benchmark workload (a copy of an Ansible playbook) loads unchanged', () => {
  it('resolves ansible.builtin names and reads every task', async () => {
    const pb = await loadPlaybook(path.join(fixtures, 'workload.yml'), { registry });
    const play = pb.plays[0]!;
    expect(play.items.map((i) => (i as TaskNode).module)).toEqual(['command', 'lineinfile', 'stat', 'command', 'copy', 'file', 'shell', 'lineinfile', 'template', 'command']);
    expect((play.items[0] as TaskNode).args).toEqual({ cmd: 'cat /etc/os-release' });
    expect((play.items[0] as TaskNode).changedWhen).toBe(false);
    expect((play.items[1] as TaskNode).notify).toEqual(['restart waagent']);
    expect(play.handlers.map((h) => [h.name, h.module])).toEqual([['restart waagent', 'shell']]);
  });
});
