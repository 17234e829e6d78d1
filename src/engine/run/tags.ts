// Tag selection with Ansible's rules: `always` runs unless skipped explicitly, `never` only when one
// of its tags is asked for, `tagged`/`untagged`/`all` are the special selectors, and --skip-tags wins.
import { globRegExp, isGlob } from '../inventory/fnmatch.js';

export interface TagFilter {
  /** --tags; empty = all. */
  only: readonly string[];
  /** --skip-tags. */
  skip: readonly string[];
}

/** Whether a task with these (inherited + own) tags runs under the filter. */
export function tagsSelected(taskTags: Iterable<string>, filter: TagFilter): boolean {
  const tags = new Set(taskTags);
  if (tags.size === 0) tags.add('untagged');
  const only = new Set(filter.only.length ? filter.only : ['all']);
  const skip = new Set(filter.skip);
  const untagged = tags.size === 1 && tags.has('untagged');

  let run: boolean;
  if (tags.has('always')) run = true;
  else if (only.has('all') && !tags.has('never')) run = true;
  else if (intersects(tags, only)) run = true;
  else run = only.has('tagged') && !untagged && !tags.has('never');
  if (!run || skip.size === 0) return run;

  if (skip.has('all')) return tags.has('always') && !skip.has('always');
  if (intersects(tags, skip)) return false;
  if (skip.has('tagged') && !untagged) return false;
  return true;
}

function intersects(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

/** `--start-at-task` matches a task name exactly or as a glob (`*`, `?`), also as "role : name". */
export function startAtMatches(pattern: string, name: string | undefined, role?: string): boolean {
  if (!name) return false;
  const candidates = role ? [name, `${role} : ${name}`] : [name];
  if (!isGlob(pattern)) return candidates.includes(pattern);
  const re = globRegExp(pattern);
  return candidates.some((c) => re.test(c));
}
