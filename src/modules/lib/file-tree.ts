// What `file: recurse: true` needs to know about a tree: the distinct (mode, kind, owner, group)
// combinations below a directory. `sort -u` keeps the answer tiny even for huge trees, and the
// planner can still evaluate symbolic modes (a+rX) per kind of entry.
import type { HostContext } from '../../engine/contract/module.js';
import { shQuote } from '../../engine/connection/quote.js';
import { type AttrArgs, attrChanges, wantedAttrs } from './file-attrs.js';

export interface TreeEntry {
  mode: number;
  isDir: boolean;
  uid: number;
  gid: number;
  owner: string;
  group: string;
}

export function treeCommand(path: string): string {
  // Symlinks are skipped: their own mode is meaningless and chown -R does not follow them.
  return `find ${shQuote(path)} ! -type l -printf '%m\\t%y\\t%U\\t%G\\t%u\\t%g\\n' | sort -u`;
}

export function parseTree(stdout: string): TreeEntry[] {
  return stdout
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => {
      const [mode, kind, uid, gid, owner, group] = l.split('\t');
      return {
        mode: parseInt(mode ?? '0', 8),
        isDir: kind === 'd',
        uid: Number(uid),
        gid: Number(gid),
        owner: owner ?? '',
        group: group ?? '',
      };
    });
}

export async function readTree(ctx: HostContext, path: string): Promise<TreeEntry[]> {
  const r = await ctx.run(treeCommand(path));
  if (r.rc !== 0) throw new Error(`cannot list ${path}: ${r.stderr.trim() || `exit code ${r.rc}`}`);
  return parseTree(r.stdout);
}

/** True when any entry's mode/owner/group differs from what the args ask for. */
export function treeDiffers(entries: TreeEntry[], args: AttrArgs): boolean {
  return entries.some((e) => {
    const st = { exists: true, mode: e.mode, uid: e.uid, gid: e.gid, owner: e.owner, group: e.group };
    return attrChanges(wantedAttrs(args, st, e.isDir), st).length > 0;
  });
}
