// include_vars: loads variables from a YAML/JSON file (or every such file of a directory) on the
// controller, at run time, into the host's variables (Ansible's include_vars precedence: above
// task vars, below set_fact). Vaulted files open with the run's vault passwords.
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import Type, { type Static } from 'typebox';
import type { HostContext, Module } from '../engine/contract/module.js';

const schema = Type.Object(
  {
    file: Type.Optional(Type.String({ description: "The file to load, looked up in the role's vars/, the task file's dir, then the playbook dir." })),
    dir: Type.Optional(Type.String({ description: 'Load every file of this directory with one of `extensions`, in name order (later files win).' })),
    name: Type.Optional(Type.String({ description: 'Put the loaded variables under this one variable instead of at the top level.' })),
    depth: Type.Optional(Type.Integer({ minimum: 0, description: 'With dir: how many directory levels to descend (0: all).' })),
    files_matching: Type.Optional(Type.String({ description: 'With dir: only files whose name matches this regular expression.' })),
    ignore_files: Type.Optional(Type.Array(Type.String(), { description: 'With dir: file names to skip.' })),
    extensions: Type.Optional(Type.Array(Type.String(), { description: 'With dir: the file extensions loaded (default yaml, yml, json).' })),
    free_form: Type.Optional(Type.String({ description: 'The file, as `include_vars: path`.' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  vars?: Record<string, unknown>;
  files?: string[];
  error?: string;
}

async function listDir(root: string, args: Args): Promise<string[]> {
  const exts = args.extensions ?? ['yaml', 'yml', 'json'];
  const match = args.files_matching ? new RegExp(args.files_matching) : undefined;
  const out: string[] = [];
  const walk = async (dir: string, level: number) => {
    const names = (await readdir(dir)).sort();
    for (const n of names) {
      const p = join(dir, n);
      if ((await stat(p)).isDirectory()) {
        if (!args.depth || level < args.depth) await walk(p, level + 1);
        continue;
      }
      if (args.ignore_files?.includes(n) || (match && !match.test(n))) continue;
      const ext = n.includes('.') ? n.slice(n.lastIndexOf('.') + 1) : '';
      if (exts.includes(ext)) out.push(p);
    }
  };
  await walk(root, 1);
  return out;
}

async function load(ctx: HostContext, args: Args): Promise<Current> {
  if (!ctx.loadVarsFile) return { error: 'include_vars needs the controller (no vars loader here)' };
  const file = args.file ?? args.free_form;
  if ((file === undefined) === (args.dir === undefined)) return { error: 'include_vars needs exactly one of file or dir' };
  let files: string[];
  if (args.dir !== undefined) {
    const root = ctx.controllerPath('vars', args.dir);
    const st = await stat(root).catch(() => undefined);
    if (!st?.isDirectory()) return { error: `${args.dir} directory does not exist` };
    files = await listDir(root, args);
  } else {
    const path = ctx.controllerPath('vars', file!);
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) return { error: `Could not find or access '${file}'` };
    files = [path];
  }
  const vars: Record<string, unknown> = {};
  for (const f of files) Object.assign(vars, await ctx.loadVarsFile(f));
  return { vars, files };
}

export const includeVars: Module<Args, Current, never> = {
  meta: {
    name: 'include_vars',
    description: 'Load variables from a YAML/JSON file or directory on the controller, at run time.',
    platforms: ['linux', 'windows'],
    checkMode: 'full',
    runsOn: 'controller',
    freeForm: 'free_form',
    freeFormKeys: [],
    example: 'include_vars:\n  file: "{{ ansible_distribution | lower }}.yml"\n  name: distro',
    returns: {
      ansible_included_var_files: 'The files loaded, in order.',
    },
  },
  schema,
  read: load,
  plan(args, current) {
    if (current.error) return { changes: [], failed: current.error };
    const vars = args.name ? { [args.name]: current.vars! } : current.vars!;
    const shown = current.files!.map((f) => relative(process.cwd(), f) || f);
    return { changes: [], includeVars: vars, result: { ansible_included_var_files: current.files }, reason: `loaded ${shown.join(', ') || 'no file'}` };
  },
  async apply() {
    return { changed: false };
  },
};
