// Shared by the loader tests: fixture paths and a readable one-line view of the AST.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlayItem } from '../../src/engine/contract/playbook.js';
import { InvalidInputError, formatDiagnostic } from '../../src/engine/contract/diagnostics.js';

export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/load');

/** `p1.t0.t1 task debug` lines, nested blocks indented. */
export function outline(items: readonly PlayItem[], indent = ''): string[] {
  const out: string[] = [];
  for (const i of items) {
    const what = i.kind === 'task' ? i.module : i.kind === 'meta' ? i.action : i.kind === 'block' ? '' : i.target;
    out.push(`${indent}${i.id} ${i.kind} ${what}`.trimEnd());
    if (i.kind === 'block') {
      out.push(...outline(i.block, `${indent}  `), ...outline(i.rescue, `${indent}  `), ...outline(i.always, `${indent}  `));
    }
  }
  return out;
}

export function allIds(items: readonly PlayItem[]): string[] {
  return items.flatMap((i) => [i.id, ...(i.kind === 'block' ? allIds([...i.block, ...i.rescue, ...i.always]) : [])]);
}

/** The formatted problems of a rejected promise (fails the test if it resolved). */
export async function problems(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InvalidInputError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  throw new Error('expected InvalidInputError, but loading succeeded');
}
