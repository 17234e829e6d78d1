// --limit: narrows the play's hosts to those a second pattern matches. `@file` terms read one host
// (or pattern) per line, as Ansible's retry files are written.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../contract/diagnostics.js';
import type { Inventory } from '../contract/inventory.js';
import { splitPattern } from './patterns.js';

export async function applyLimit(inv: Inventory, hosts: string[], limit: string, cwd = process.cwd()): Promise<string[]> {
  const terms: string[] = [];
  for (const term of splitPattern(limit)) {
    if (!term.startsWith('@')) {
      terms.push(term);
      continue;
    }
    const file = resolve(cwd, term.slice(1));
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`--limit ${term}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      if (t && !t.startsWith('#')) terms.push(t);
    }
  }
  if (terms.length === 0) return [];
  // Terms are already split; joined by ',' the inventory splits them back exactly.
  const allowed = new Set(inv.select(terms.join(',')));
  return hosts.filter((h) => allowed.has(h));
}
