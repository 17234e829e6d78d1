// modprobe (community.general.modprobe): a kernel module loaded or unloaded now and, with persistent,
// at every boot (/etc/modules-load.d/<name>.conf, options in /etc/modprobe.d/<name>.conf). Like
// Ansible, a persistent module already listed in any modules-load.d file is left alone, and older
// `options <name>` lines are commented out rather than deleted. Whether the module exists is asked of
// `modprobe -n` at read time, so check mode fails for a missing module exactly as a real run would.
import { posix } from 'node:path';
import Type, { type Static } from 'typebox';
import type { DiffItem, Module, Plan } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';
import { shlexSplit } from './lib/shlex.js';
import { SBIN_PATH } from './sysctl.js';

const schema = Type.Object(
  {
    name: Type.String({ description: 'The module, e.g. ib_ipoib.' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present (loaded, default) or absent.' })),
    params: Type.Optional(Type.String({ description: "Module parameters, e.g. 'send_queue_size=1024'." })),
    persistent: Type.Optional(
      Type.Union([Type.Literal('disabled'), Type.Literal('present'), Type.Literal('absent')], {
        description: 'present: load at boot (modules-load.d, with params in modprobe.d); absent: stop loading at boot; disabled (default): leave boot config alone.',
      }),
    ),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const MODULES_LOAD_DIR = '/etc/modules-load.d';
export const MODPROBE_DIR = '/etc/modprobe.d';

interface ConfFile {
  path: string;
  content: string;
}

interface Current {
  loaded: boolean;
  /** `modprobe -n` said no (only asked when the module is not loaded). */
  missing?: string;
  loadFiles: ConfFile[];
  optionFiles: ConfFile[];
}

type Change =
  | { kind: 'load'; name: string; params: string[] }
  | { kind: 'unload'; name: string }
  | { kind: 'write'; path: string; content: string };

const norm = (n: string) => n.replaceAll('-', '_');

/** Pure: does `lsmod` output (or /proc/modules text) list the module? */
export function isLoaded(lsmod: string, name: string): boolean {
  return lsmod.split('\n').some((l) => !l.startsWith('Module ') && norm(l.split(/\s+/, 1)[0] ?? '') === norm(name));
}

const isModuleLine = (line: string, name: string) => norm(line.trim()) === norm(name);
const isOptionsLine = (line: string, name: string) => {
  const w = line.trim().split(/\s+/);
  return w[0] === 'options' && norm(w[1] ?? '') === norm(name);
};

/** Pure: the files that change for the persistent setting, with their new content. */
export function persistentEdits(args: Args, cur: Current): ConfFile[] {
  const { name } = args;
  const params = (args.params ?? '').trim();
  const edits: ConfFile[] = [];
  const commentOut = (files: ConfFile[], match: (l: string) => boolean, keep?: (l: string) => boolean) => {
    for (const f of files) {
      const lines = f.content.split(/(?<=\n)/);
      const next = lines.map((l) => (match(l) && !(keep?.(l) ?? false) ? `#${l}` : l)).join('');
      if (next !== f.content) edits.push({ path: f.path, content: next });
    }
  };
  const wantOptions = `options ${name} ${params}`;
  const sameOptions = (l: string) => l.trim().split(/\s+/).join(' ') === wantOptions.split(/\s+/).join(' ');
  if (args.persistent === 'present') {
    if (!cur.loadFiles.some((f) => f.content.split('\n').some((l) => isModuleLine(l, name)))) {
      edits.push({ path: `${MODULES_LOAD_DIR}/${name}.conf`, content: `${name}\n` });
    }
    if (params !== '') {
      const has = cur.optionFiles.some((f) => f.content.split('\n').some(sameOptions));
      commentOut(cur.optionFiles, (l) => isOptionsLine(l, name), sameOptions);
      if (!has) {
        const own = `${MODPROBE_DIR}/${name}.conf`;
        const mine = edits.find((e) => e.path === own) ?? cur.optionFiles.find((f) => f.path === own);
        const base = mine?.content ?? '';
        const sep = base === '' || base.endsWith('\n') ? '' : '\n';
        const next = { path: own, content: `${base}${sep}${wantOptions}\n` };
        const i = edits.findIndex((e) => e.path === own);
        if (i >= 0) edits[i] = next;
        else edits.push(next);
      }
    }
  } else if (args.persistent === 'absent') {
    commentOut(cur.loadFiles, (l) => isModuleLine(l, name));
    commentOut(cur.optionFiles, (l) => isOptionsLine(l, name));
  }
  return edits;
}

export function planModprobe(args: Args, cur: Current): Plan<Change> {
  const { name } = args;
  const state = args.state ?? 'present';
  if (!/^[A-Za-z0-9_-]+$/.test(name)) return { changes: [], failed: `'${name}' is not a kernel module name` };
  const result = { name, params: args.params ?? '', state };
  const changes: Change[] = [];
  const diff: DiffItem[] = [];
  if (state === 'present' && !cur.loaded) {
    if (cur.missing) return { changes: [], failed: cur.missing, result };
    changes.push({ kind: 'load', name, params: shlexSplit(args.params ?? '') });
  }
  if (state === 'absent' && cur.loaded) changes.push({ kind: 'unload', name });
  if (changes.length > 0) diff.push({ kind: 'fields', label: `kernel module ${name}`, fields: [{ key: 'loaded', before: cur.loaded, after: state === 'present' }] });
  for (const e of persistentEdits(args, cur)) {
    const before = [...cur.loadFiles, ...cur.optionFiles].find((f) => f.path === e.path)?.content ?? '';
    changes.push({ kind: 'write', ...e });
    diff.push({ kind: 'text', path: e.path, before, after: e.content });
  }
  if (changes.length === 0) {
    const boot = args.persistent === 'present' ? ' and at boot' : args.persistent === 'absent' ? ', not at boot' : '';
    return { changes, reason: `${name} is ${state === 'present' ? 'loaded' : 'not loaded'}${boot}`, result };
  }
  const what = changes.map((c) => (c.kind === 'write' ? `write ${c.path}` : `${c.kind} ${name}`));
  return { changes, diff, reason: what.join(', '), result };
}

/** `name\n<file>\0<content>\0...` sections from one remote command. */
function parseConfDump(text: string): ConfFile[] {
  const parts = text.split('\0');
  const files: ConfFile[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) files.push({ path: parts[i]!, content: parts[i + 1]! });
  return files;
}

export const modprobe: Module<Args, Current, Change> = {
  meta: {
    name: 'modprobe',
    collections: ['community.general'],
    description: 'Load or unload a kernel module, now and (persistent) at boot.',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'modprobe:\n  name: ib_ipoib\n  state: present\n  persistent: present',
    returns: { name: 'The module.', params: 'Its parameters.', state: 'present or absent.' },
  },
  schema,
  async read(ctx, args) {
    if (!/^[A-Za-z0-9_-]+$/.test(args.name)) return { loaded: false, loadFiles: [], optionFiles: [] };
    const dump = (dir: string) => `for f in ${dir}/*.conf; do [ -f "$f" ] || continue; printf '%s\\0' "$f"; cat "$f"; printf '\\0'; done`;
    // lsmod (not /proc/modules) also answers on kernels without loadable modules.
    const script = [
      SBIN_PATH,
      'lsmod',
      'printf "@@probe\\n"', `modprobe -n ${shQuote(args.name)} 2>&1 >/dev/null | head -5`,
      'printf "@@load\\n"', dump(MODULES_LOAD_DIR),
      'printf "@@options\\n"', dump(MODPROBE_DIR),
    ].join('\n');
    const r = await ctx.run(script);
    if (r.rc !== 0) throw new Error(`reading module state: ${r.stderr.trim() || `exit code ${r.rc}`}`);
    const [lsmod = '', rest1 = ''] = r.stdout.split('@@probe\n');
    const [probe = '', rest = ''] = rest1.split('@@load\n');
    const [load = '', options = ''] = rest.split('@@options\n');
    if (!lsmod.startsWith('Module ')) throw new Error(`lsmod: ${r.stderr.trim() || 'no module list'}`);
    const loaded = isLoaded(lsmod, args.name);
    return {
      loaded,
      ...(!loaded && probe.trim() ? { missing: probe.trim() } : {}),
      loadFiles: parseConfDump(load),
      optionFiles: parseConfDump(options),
    };
  },
  plan: (args, cur) => planModprobe(args, cur),
  async apply(ctx, plan) {
    for (const c of plan.changes) {
      if (c.kind === 'write') {
        const dir = posix.dirname(c.path);
        await ctx.run(`[ -d ${shQuote(dir)} ] || mkdir -p -- ${shQuote(dir)}`);
        await ctx.writeFile(c.path, c.content, { mode: 0o644 });
        continue;
      }
      const cmd = c.kind === 'load' ? `modprobe ${[c.name, ...c.params].map(shQuote).join(' ')}` : `modprobe -r ${shQuote(c.name)}`;
      const r = await ctx.run(`${SBIN_PATH}\n${cmd}`);
      if (r.rc !== 0) return { failed: r.stderr.trim() || `${cmd}: exit code ${r.rc}`, result: { ...plan.result, rc: r.rc, stdout: r.stdout, stderr: r.stderr } };
    }
    return { result: plan.result };
  },
};
