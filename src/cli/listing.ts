// --list-hosts, --list-tasks and --list-tags: what a run would touch, without connecting to anything.
import { InvalidInputError } from '../engine/contract/diagnostics.js';
import type { Inventory } from '../engine/contract/inventory.js';
import type { Play, PlayItem, Playbook, VarBlock } from '../engine/contract/playbook.js';
import type { Templater } from '../engine/contract/template.js';
import { displayPath } from '../engine/load/source.js';
import { tagsSelected } from '../engine/run/tags.js';

export interface ListingContext {
  inventory: Inventory;
  templater: Templater;
  extraVars: VarBlock;
  limitHosts?: string[];
  tags: string[];
  skipTags: string[];
}

export function playHosts(play: Play, ctx: ListingContext): string[] {
  const pattern = String(ctx.templater.render(play.hosts, [{ name: 'extra vars', vars: ctx.extraVars.vars, trusted: true }], play.loc));
  let hosts: string[];
  try {
    hosts = ctx.inventory.select(pattern);
  } catch (err) {
    // The inventory cannot know where a pattern was written: a bad pattern is the play's.
    if (!(err instanceof InvalidInputError)) throw err;
    throw new InvalidInputError(err.diagnostics.map((d) => (d.loc ? d : { ...d, loc: play.loc })));
  }
  if (!ctx.limitHosts) return hosts;
  const allowed = new Set(ctx.limitHosts);
  return hosts.filter((h) => allowed.has(h));
}

export function listHosts(playbook: Playbook, ctx: ListingContext): string {
  const lines = [`playbook: ${displayPath(playbook.path)}`, ''];
  for (const [i, play] of playbook.plays.entries()) {
    const hosts = playHosts(play, ctx);
    lines.push(playLine(i, play));
    lines.push(`    pattern: ['${play.hosts}']`, `    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`), '');
  }
  return `${lines.join('\n')}\n`;
}

export function listTasks(playbook: Playbook, ctx: ListingContext): string {
  const lines = [`playbook: ${displayPath(playbook.path)}`, ''];
  for (const [i, play] of playbook.plays.entries()) {
    lines.push(playLine(i, play), '    tasks:');
    for (const t of selectedTasks(play.items, ctx, play.tags)) lines.push(`      ${t.label}\tTAGS: [${sortedTags(t.tags).join(', ')}]`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** As ansible-playbook prints it: per play, the union of the tags of the tasks the selection runs. */
export function listTags(playbook: Playbook, ctx: ListingContext): string {
  const lines = [`playbook: ${displayPath(playbook.path)}`, ''];
  for (const [i, play] of playbook.plays.entries()) {
    const tags = selectedTasks(play.items, ctx, play.tags).flatMap((t) => t.tags);
    lines.push(playLine(i, play), `      TASK TAGS: [${sortedTags(tags).join(', ')}]`, '');
  }
  return `${lines.join('\n')}\n`;
}

const playLine = (i: number, play: Play) => `  play #${i + 1} (${play.hosts}): ${play.name}\tTAGS: [${sortedTags(play.tags).join(', ')}]`;

// ansible-playbook lists tags sorted (it prints a sorted set).
const sortedTags = (tags: readonly string[]) => [...new Set(tags)].sort();

/**
 * The tasks a run would start, with the tags each one runs under (the play's, its enclosing blocks',
 * its own — what the run inherits), selected by the run's own rule (engine/run/tags.ts), so the
 * listings and the run cannot disagree.
 */
function selectedTasks(items: PlayItem[], ctx: ListingContext, inherited: readonly string[], out: { label: string; tags: string[] }[] = []): { label: string; tags: string[] }[] {
  for (const item of items) {
    const tags = [...new Set([...inherited, ...item.tags])];
    if (item.kind === 'block') {
      selectedTasks([...item.block, ...item.rescue, ...item.always], ctx, tags, out);
    } else if (item.kind === 'meta') {
      continue;
    } else if (tagsSelected(tags, { only: ctx.tags, skip: ctx.skipTags })) {
      const label = item.kind === 'task' ? item.name ?? item.module : `${item.kind}: ${item.target}`;
      const role = item.role ? `${item.role.name} : ` : '';
      out.push({ label: `${role}${label}`, tags });
    }
  }
  return out;
}
