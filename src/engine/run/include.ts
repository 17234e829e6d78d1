// Dynamic includes (include_tasks, include_role): `when`, loop and the target are evaluated per
// host at run time; hosts that include the same file (with the same item) then run its tasks
// together, group after group, as Ansible's linear strategy does.
import type { TaskInfo } from '../contract/events.js';
import type { IncludeNode, PlayItem, TaskNode } from '../contract/playbook.js';
import type { VarLayer } from '../contract/template.js';
import { Evaluator } from './conditions.js';
import { conditionFalse, errorOutcome } from './execute.js';
import type { HostState } from './host-state.js';
import { effectiveKeywords, effectiveTags, inheritedWhen } from './inherit.js';
import { loopItemLayer, loopValues } from './loop.js';
import type { PlayRun, Scope } from './play-state.js';
import { recordOutcome } from './record.js';
import { failedOutcome, skippedOutcome, type Outcome } from './result.js';
import { tagsSelected } from './tags.js';
import type { TaskExec } from './unit.js';
import { taskLayers, varBlockLayer } from './vars.js';

interface Group {
  target: string;
  hosts: HostState[];
  itemLayer?: VarLayer;
  items?: PlayItem[];
}

/** The include as a task for recording results (it registers nothing and notifies nobody). */
function asTask(node: IncludeNode): TaskNode {
  return { ...node, kind: 'task', module: node.kind, args: {}, argLocs: {}, notify: [], loop: undefined };
}

/** How the included items are run: walk.ts's runItems, handed in by its caller so the two files do not import each other. */
export type RunItems = (pr: PlayRun, items: readonly PlayItem[], hosts: readonly HostState[], scope: Scope) => Promise<void>;

export async function runInclude(pr: PlayRun, node: IncludeNode, hosts: readonly HostState[], scope: Scope, runItems: RunItems): Promise<void> {
  const run = pr.run;
  if (!scope.handler && !tagsSelected(effectiveTags(node, scope, pr.play), run.tagFilter)) return;
  const kw = effectiveKeywords(node, scope, pr.play);
  const check = kw.checkMode ?? run.checkMode;
  const task = asTask(node);
  const tx: TaskExec = { pr, task, scope, module: undefined, kw, name: pr.taskName(node), check, diff: false };
  const info: TaskInfo = { id: node.id, name: tx.name, module: node.kind, loc: node.loc, isHandler: scope.handler };
  run.emit({ type: 'task_start', task: info, hosts: hosts.map((h) => h.name) });

  const groups = new Map<string, Group>();
  const outcomes = new Map<HostState, Outcome>();
  const mine = new Map<HostState, Group[]>();
  for (const h of hosts) {
    h.lastTask = tx.name;
    const ev = new Evaluator(run, h);
    const layers = taskLayers(pr, h, node, scope, check);
    const whens = inheritedWhen(node, scope);
    try {
      const units: Array<{ layers: VarLayer[]; item?: VarLayer; key: string }> = [];
      if (node.loop === undefined) units.push({ layers, key: '' });
      else {
        const items = loopValues(node, layers, node.loc, ev);
        items.forEach((item, i) => {
          const il = loopItemLayer(node.loopControl, item, i, items);
          units.push({ layers: [...layers, il], item: il, key: JSON.stringify(item) ?? '' });
        });
      }
      let included = 0;
      let skipped: Outcome | undefined;
      for (const u of units) {
        const f = ev.firstFalse(whens, u.layers);
        if (f) {
          skipped ??= conditionFalse(f);
          continue;
        }
        const target = String(ev.render(node.target, u.layers, node.loc));
        let key = `${target}\0${u.key}`;
        // The same item twice is two includes, as in Ansible.
        while (groups.get(key)?.hosts.includes(h)) key += '\0';
        const g = groups.get(key) ?? { target, hosts: [], itemLayer: u.item };
        g.hosts.push(h);
        groups.set(key, g);
        mine.set(h, [...(mine.get(h) ?? []), g]);
        included++;
      }
      if (!included) outcomes.set(h, skipped ?? skippedOutcome('No items in the list'));
    } catch (err) {
      outcomes.set(h, errorOutcome(err, tx));
    }
  }

  const loaded = new Map<Group, Outcome>();
  for (const g of groups.values()) {
    try {
      g.items = await load(pr, node, g.target);
      loaded.set(g, { status: 'ok', data: { changed: false, include: g.target }, msg: `included: ${g.target}` });
    } catch (err) {
      const o = errorOutcome(err, tx);
      loaded.set(g, o.status === 'failed' ? o : failedOutcome(String(err)));
    }
  }
  for (const h of hosts) {
    // One result per file included (per loop item): Ansible's recap counts each for include_tasks,
    // none for an include_role that went ahead (its tasks count).
    const list = outcomes.has(h) ? [outcomes.get(h)!] : (mine.get(h) ?? []).map((g) => loaded.get(g)!);
    for (const o of list) recordOutcome(tx, h, o, info, 0, node.kind === 'include_role' && o.status === 'ok');
  }
  run.emit({ type: 'task_end', task: info });

  let n = 0;
  for (const g of groups.values()) {
    n++;
    if (!g.items) continue;
    const layers = [...scope.includeLayers];
    if (Object.keys(node.vars.vars).length) layers.push(varBlockLayer(node.vars, `vars of ${node.kind} at line ${node.loc.line}`));
    if (g.itemLayer) layers.push(g.itemLayer);
    const active = g.hosts.filter((h) => h.active);
    const blocks = node.apply ? [...scope.blocks, node.apply] : scope.blocks;
    await runItems(pr, g.items, active, { ...scope, blocks, includeLayers: layers, key: `${scope.key}/${node.id}#${n}` });
  }
}

async function load(pr: PlayRun, node: IncludeNode, target: string): Promise<PlayItem[]> {
  const run = pr.run;
  const key = `${node.kind}|${node.baseDir}|${target}|${node.tasksFrom ?? ''}`;
  let loading = run.includeCache.get(key);
  if (!loading) {
    loading =
      node.kind === 'include_tasks'
        ? run.services.loader.includeTasks(target, node).then((items) => ({ items, handlers: [] }))
        : run.services.loader.includeRole(target, node);
    run.includeCache.set(key, loading);
  }
  const { items, handlers } = await loading;
  for (const h of handlers) if (!pr.handlers.includes(h)) pr.handlers.push(h);
  return items;
}
