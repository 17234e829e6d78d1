// --list-hosts and --list-tasks: what a run would touch, without connecting to anything.
import { InvalidInputError } from '../engine/contract/diagnostics.js';
import type { Inventory } from '../engine/contract/inventory.js';
import type { Play, PlayItem, Playbook, VarBlock } from '../engine/contract/playbook.js';
import type { Templater } from '../engine/contract/template.js';

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
  const lines = [`playbook: ${playbook.path}`, ''];
  for (const play of playbook.plays) {
    const hosts = playHosts(play, ctx);
    lines.push(`  play #${play.id} (${play.hosts}): ${play.name}\tTAGS: [${play.tags.join(', ')}]`);
    lines.push(`    pattern: ['${play.hosts}']`, `    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`), '');
  }
  return `${lines.join('\n')}\n`;
}

export function listTasks(playbook: Playbook, ctx: ListingContext): string {
  const lines = [`playbook: ${playbook.path}`, ''];
  for (const play of playbook.plays) {
    lines.push(`  play #${play.id} (${play.hosts}): ${play.name}\tTAGS: [${play.tags.join(', ')}]`, '    tasks:');
    walk(play.items, 6, lines, ctx);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function selected(tags: string[], ctx: ListingContext): boolean {
  if (ctx.skipTags.some((t) => tags.includes(t))) return false;
  if (tags.includes('never') && !ctx.tags.some((t) => tags.includes(t))) return false;
  if (!ctx.tags.length || ctx.tags.includes('all')) return true;
  return tags.includes('always') || ctx.tags.some((t) => tags.includes(t));
}

function walk(items: PlayItem[], indent: number, lines: string[], ctx: ListingContext): void {
  const pad = ' '.repeat(indent);
  for (const item of items) {
    if (item.kind === 'block') {
      walk([...item.block, ...item.rescue, ...item.always], indent, lines, ctx);
    } else if (item.kind === 'meta') {
      continue;
    } else if (selected(item.tags, ctx)) {
      const label = item.kind === 'task' ? item.name ?? item.module : `${item.kind}: ${item.target}`;
      const role = item.role ? `${item.role.name} : ` : '';
      lines.push(`${pad}${role}${label}\tTAGS: [${item.tags.join(', ')}]`);
    }
  }
}
