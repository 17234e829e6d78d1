import { describe, expect, it } from 'vitest';
import type { HandlerNode, Play, TaskNode } from '../../../src/engine/contract/playbook.js';
import { checkNotifications, findHandlers } from '../../../src/engine/run/handlers.js';

const loc = (line: number) => ({ file: 'site.yml', line, col: 7 });
const base = { when: [], tags: [], vars: { vars: {}, locs: {} }, baseDir: '/p', module: 'debug', args: {}, argLocs: {}, notify: [] };
const handler = (name: string | undefined, line: number, listen: string[] = [], role?: string): HandlerNode => ({
  ...base,
  kind: 'task',
  id: `h${line}`,
  loc: loc(line),
  listen,
  ...(name ? { name } : {}),
  ...(role ? { role: { name: role, dir: `/r/${role}`, defaults: base.vars, vars: base.vars } } : {}),
});
const task = (line: number, notify: string[]): TaskNode => ({ ...base, kind: 'task', id: `t${line}`, loc: loc(line), notify });
const name = (h: HandlerNode) => h.name ?? '';

describe('findHandlers', () => {
  const hs = [handler('restart', 1), handler('a', 2, ['topic']), handler('restart', 3), handler('b', 4, ['topic']), handler('reload', 5, [], 'web')];

  it('picks the last handler defined with the name', () => {
    expect(findHandlers(hs, 'restart', name).map((h) => h.id)).toEqual(['h3']);
  });

  it('reaches every listener of a topic, in definition order', () => {
    expect(findHandlers(hs, 'topic', name).map((h) => h.id)).toEqual(['h2', 'h4']);
  });

  it('accepts the role-qualified name', () => {
    expect(findHandlers(hs, 'web : reload', name).map((h) => h.id)).toEqual(['h5']);
    expect(findHandlers(hs, 'nothing', name)).toEqual([]);
  });
});

describe('checkNotifications', () => {
  const play = (items: Play['items'], handlers: HandlerNode[]) => ({ items, handlers }) as unknown as Play;

  it('reports every unknown notification with its place and a suggestion', () => {
    const p = play(
      [task(10, ['restart']), { ...task(20, []), kind: 'block', block: [task(21, ['restrat'])], rescue: [], always: [task(23, ['topic', 'gone'])] } as never],
      [handler('restart', 1), handler('x', 2, ['topic'])],
    );
    expect(checkNotifications(p, () => false).map((d) => [d.message, d.hint])).toEqual([
      ["handler 'restrat' notified at site.yml:21:7 does not exist", "did you mean 'restart'?"],
      ["handler 'gone' notified at site.yml:23:7 does not exist", undefined],
    ]);
  });

  it('leaves templated names for run time', () => {
    const p = play([task(10, ['{{ which }}'])], [handler('restart', 1)]);
    expect(checkNotifications(p, (s) => s.includes('{{'))).toEqual([]);
  });
});
