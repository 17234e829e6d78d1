// mount (ansible.posix.mount): an fstab entry and, for mounted/unmounted/remounted/absent, the live
// mount. The fstab is edited as Ansible edits it (lib/fstab.ts) and written atomically (temp file +
// rename, optional backup); mounting goes through the host's mount(8) by mount point so the options
// come from the fstab entry, exactly as a boot would mount it.
import Type, { type Static } from 'typebox';
import type { DiffItem, Module, Plan } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';
import { type FstabEntry, findEntries, mountPoints, removeEntry, setEntry } from './lib/fstab.js';
import { type TextChange, type TextCurrent, applyTextEdit, planTextEdit, readText } from './lib/text-edit.js';

const STATES = ['mounted', 'present', 'unmounted', 'absent', 'remounted'] as const;
const num = (d: string) => Type.Optional(Type.Union([Type.String(), Type.Integer()], { description: d }));
const schema = Type.Object(
  {
    path: Type.Optional(Type.String({ description: 'The mount point, e.g. /mnt/scratch (aliases: name).' })),
    name: Type.Optional(Type.String({ description: 'Alias of path.' })),
    src: Type.Optional(Type.String({ description: 'The device, label (LABEL=...), UUID=..., share or directory; required for present and mounted.' })),
    fstype: Type.Optional(Type.String({ description: 'The filesystem type (ext4, xfs, nfs, tmpfs, none for bind mounts); required for present and mounted.' })),
    opts: Type.Optional(Type.String({ description: 'Mount options (default defaults).' })),
    dump: num('The dump field (default 0).'),
    passno: num('The fsck pass field (default 0).'),
    state: Type.Enum([...STATES], { description: 'mounted (fstab + mount), present (fstab only), unmounted (unmount only), absent (remove from fstab, unmount, remove the mount point), remounted (remount now).' }),
    fstab: Type.Optional(Type.String({ description: 'The file to edit (default /etc/fstab).' })),
    backup: Type.Optional(Type.Boolean({ description: 'Keep a timestamped copy of the fstab when it changes.' })),
    boot: Type.Optional(Type.Boolean({ description: 'Mount at boot (default true); false adds noauto to opts.' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  fstab: TextCurrent;
  mounted: boolean;
  /** What is at the mount point now. */
  pathType: 'dir' | 'other' | 'none';
  error?: string;
}

type Change =
  | TextChange
  | { kind: 'mkdir'; path: string }
  | { kind: 'mount'; path: string; fstab: string }
  | { kind: 'remount'; path: string; fstab: string }
  | { kind: 'umount'; path: string }
  | { kind: 'rmdir'; path: string };

const DEFAULT_FSTAB = '/etc/fstab';
/** mount/umount live in sbin, which a non-root login PATH may lack. */
const SBIN = 'PATH="$PATH:/usr/sbin:/sbin"; export PATH\n';
const pathOf = (a: Args) => (a.path ?? a.name ?? '').replace(/(.)\/+$/, '$1');

function wanted(args: Args, path: string): FstabEntry {
  let opts = args.opts ?? 'defaults';
  if (args.boot === false && !opts.split(',').includes('noauto')) opts = opts === 'defaults' ? 'noauto' : `${opts},noauto`;
  return { src: args.src ?? '', path, fstype: args.fstype ?? '', opts, dump: String(args.dump ?? 0), passno: String(args.passno ?? 0) };
}

export function planMount(args: Args, cur: Current): Plan<Change> {
  if (cur.error) return { changes: [], failed: cur.error };
  const path = pathOf(args);
  const state = args.state;
  if (!path) return { changes: [], failed: 'path is required' };
  if (!path.startsWith('/') && path !== 'none') return { changes: [], failed: `path must be absolute: ${path}` };
  if ((state === 'present' || state === 'mounted') && (!args.src || !args.fstype)) {
    return { changes: [], failed: `state is ${state} but all of the following are missing: ${['src', 'fstype'].filter((k) => !args[k as 'src' | 'fstype']).join(', ')}` };
  }
  if (cur.fstab.stat?.type === 'directory') return { changes: [], failed: `${cur.fstab.path} is a directory` };
  const want = wanted(args, path);
  const text = cur.fstab.content ?? '';
  const changes: Change[] = [];
  const diff: DiffItem[] = [];
  let fstabChanged = false;
  if (state === 'present' || state === 'mounted' || state === 'absent') {
    const next = state === 'absent' ? removeEntry(text, path, args.src) : setEntry(text, want);
    if (next !== text) {
      const edit = planTextEdit(cur.fstab, { backup: args.backup }, { content: next, msg: state === 'absent' ? `${path} removed` : `${path} set`, okReason: '' });
      if (edit.failed) return { changes: [], failed: edit.failed };
      changes.push(...edit.changes);
      diff.push(...(edit.diff ?? []));
      fstabChanged = true;
    }
  }
  const fstab = cur.fstab.path;
  if (state === 'mounted') {
    if (cur.pathType === 'other') return { changes: [], failed: `${path} exists and is not a directory` };
    if (!cur.mounted) {
      if (cur.pathType === 'none') changes.push({ kind: 'mkdir', path });
      changes.push({ kind: 'mount', path, fstab });
    } else if (fstabChanged) changes.push({ kind: 'remount', path, fstab });
  } else if (state === 'unmounted') {
    if (cur.mounted) changes.push({ kind: 'umount', path });
  } else if (state === 'absent') {
    // As Ansible: the live mount and the mount point go only when the fstab entry did.
    if (fstabChanged && cur.mounted) changes.push({ kind: 'umount', path });
    if (fstabChanged && cur.pathType === 'dir') changes.push({ kind: 'rmdir', path });
  } else if (state === 'remounted') {
    if (!cur.mounted) return { changes: [], failed: `${path} is not mounted, so it cannot be remounted` };
    changes.push({ kind: 'remount', path, fstab });
  }
  const live = changes.filter((c) => c.kind !== 'write' && c.kind !== 'attrs');
  if (live.length > 0) diff.push({ kind: 'fields', label: `${path} (live mount)`, fields: [{ key: 'mounted', before: cur.mounted, after: !live.some((c) => c.kind === 'umount') }] });
  const result = { name: path, src: want.src, fstype: want.fstype, opts: want.opts, dump: want.dump, passno: want.passno, fstab };
  if (changes.length === 0) {
    const why = { present: `${fstab} has ${path}`, mounted: `${path} is in ${fstab} and mounted`, unmounted: `${path} is not mounted`, absent: `${fstab} has no ${path}`, remounted: '' }[state];
    return { changes, reason: why, result };
  }
  const what = changes.map((c) => (c.kind === 'write' || c.kind === 'attrs' ? `edit ${fstab}` : `${c.kind} ${path}`));
  return { changes, diff, reason: what.join(', '), result };
}

const VERB = { mkdir: 'creating', mount: 'mounting', remount: 'remounting', umount: 'unmounting', rmdir: 'removing' } as const;
const fstabFlag = (f: string) => (f === DEFAULT_FSTAB ? '' : ` -T ${shQuote(f)}`);

export const mount: Module<Args, Current, Change> = {
  meta: {
    name: 'mount',
    collections: ['ansible.posix'],
    description: 'Keep a filesystem in fstab and mount, unmount or remount it.',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'mount:\n  path: /mnt/resource\n  src: /dev/disk/cloud/azure_resource-part1\n  fstype: ext4\n  opts: defaults,nofail\n  state: mounted',
    notes: [
      'An entry is found by its mount point (swap, mounted on none, by its src); a changed entry is rewritten as `src path fstype opts dump passno`, an unchanged one is left as written. state mounted creates a missing mount point and mounts by it (so the fstab options apply), and remounts when the entry changed while mounted; absent unmounts and removes the mount point only when it removed an entry. remounted always reports a change, as in Ansible.',
      'On lab hosts each host has its own mount namespace, so tmpfs and bind mounts are real there and never reach the machine.',
    ],
    returns: { name: 'The mount point.', src: 'The source.', fstype: 'The type.', opts: 'The options written.', dump: 'The dump field.', passno: 'The pass field.', fstab: 'The file edited.' },
  },
  schema,
  async read(ctx, args) {
    const path = pathOf(args);
    const fstab = await readText(ctx, args.fstab ?? DEFAULT_FSTAB);
    const q = shQuote(path || '/nonexistent');
    const r = await ctx.run(`cat /proc/self/mounts && echo @@ && if [ -d ${q} ]; then echo dir; elif [ -e ${q} ] || [ -L ${q} ]; then echo other; else echo none; fi`);
    if (r.rc !== 0) return { fstab, mounted: false, pathType: 'none', error: `cannot read the mounts: ${r.stderr.trim() || `exit code ${r.rc}`}` };
    const [mounts = '', kind = 'none'] = r.stdout.split('\n@@\n');
    return { fstab, mounted: mountPoints(mounts).has(path), pathType: kind.trim() as Current['pathType'] };
  },
  plan: planMount,
  async apply(ctx, plan) {
    for (const c of plan.changes) {
      let cmd: string;
      if (c.kind === 'write' || c.kind === 'attrs') {
        const w = await applyTextEdit(ctx, { changes: [c] });
        if (w.failed) return w;
        continue;
      } else if (c.kind === 'mkdir') cmd = `mkdir -p -- ${shQuote(c.path)}`;
      else if (c.kind === 'mount') cmd = `mount${fstabFlag(c.fstab)} ${shQuote(c.path)}`;
      // A filesystem that cannot remount in place is unmounted and mounted again, as Ansible does.
      else if (c.kind === 'remount') cmd = `mount -o remount${fstabFlag(c.fstab)} ${shQuote(c.path)} || { umount ${shQuote(c.path)} && mount${fstabFlag(c.fstab)} ${shQuote(c.path)}; }`;
      else if (c.kind === 'umount') cmd = `umount ${shQuote(c.path)}`;
      else cmd = `rmdir -- ${shQuote(c.path)}`;
      const r = await ctx.run(SBIN + cmd);
      if (r.rc !== 0) return { failed: `Error ${VERB[c.kind]} ${c.path}: ${(r.stderr || r.stdout).trim()}` };
    }
    return { result: plan.result };
  },
};
