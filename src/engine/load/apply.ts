// `apply:` on include_tasks / include_role. Ansible turns it into a block around the included tasks,
// so that is what the loader makes of it: a block with no tasks of its own, which the executor puts
// around whatever the include brings in at run time (its when/tags/vars/keywords are inherited there,
// while the include's own tags and when only decide whether the include runs).
import type { BlockNode } from '../contract/playbook.js';
import { describeValue } from '../validate/describe.js';
import { ApplySchema } from '../validate/playbook-schema.js';
import { checkKeywords, RUNTIME_KEYWORDS } from './check-keywords.js';
import type { LoadContext } from './context.js';
import { commonParts, type Raw } from './keywords.js';
import type { ListScope } from './list-scope.js';
import { joinPointer } from './yaml-source.js';

/** The include's reference without `apply`, and the pointer of `apply` when it was given. */
export function splitApply(ref: unknown, pointer: string): { ref: unknown; applyPtr?: string; apply?: unknown } {
  if (!ref || typeof ref !== 'object' || Array.isArray(ref) || !Object.hasOwn(ref, 'apply')) return { ref };
  const { apply, ...rest } = ref as Raw;
  return { ref: rest, apply, applyPtr: joinPointer(pointer, 'apply') };
}

/** The block `apply:` stands for, or undefined (after reporting) when it is not a mapping of keywords. */
export function applyBlock(value: unknown, pointer: string, scope: ListScope, ctx: LoadContext, id: string): BlockNode | undefined {
  const { src } = scope;
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    ctx.error(src.loc(pointer), `'apply' must be a mapping of task keywords (tags, when, vars, become, ...), got ${describeValue(value)}`);
    return undefined;
  }
  const before = ctx.errorCount;
  const raw = checkKeywords(ApplySchema, value as Raw, pointer, src, ctx, "in 'apply'", RUNTIME_KEYWORDS);
  const common = commonParts(raw, src, pointer, ctx);
  if (ctx.errorCount > before) return undefined;
  return { kind: 'block', id, loc: src.loc(pointer), ...common, block: [], rescue: [], always: [], baseDir: src.dir, ...(scope.role ? { role: scope.role } : {}) };
}
