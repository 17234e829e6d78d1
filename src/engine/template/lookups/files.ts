// Lookups that read the controller: file, template, fileglob, first_found, lines, pipe and password.
// Relative names are searched as Ansible searches them: the role's `files/` (or `templates/`) and
// the role itself, then the playbook directory's `files/` and the playbook directory.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { RenderContext, VarSource } from '../context.js';
import { isDict, pyStr, pyTypeName, truthy, type Dict } from '../py-values.js';
import type { LookupFn } from './types.js';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Directories a relative name is looked up in, most specific first. */
function searchDirs(ctx: RenderContext, subdir: string): string[] {
  const dirs: string[] = [];
  const role = str(ctx.scope.lookup('role_path'));
  const playbook = str(ctx.scope.lookup('playbook_dir'));
  if (role) dirs.push(join(role, subdir), role);
  if (playbook) dirs.push(join(playbook, subdir), playbook);
  if (dirs.length === 0) dirs.push(join(process.cwd(), subdir), process.cwd());
  return dirs;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The first existing file for `name`, or undefined. */
export function findFile(ctx: RenderContext, name: string, subdir: string): string | undefined {
  if (isAbsolute(name)) return isFile(name) ? name : undefined;
  return searchDirs(ctx, subdir)
    .map((d) => join(d, name))
    .find(isFile);
}

function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`the ${what} lookup cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`, { cause: err });
  }
}

/** The scope of a template lookup: its own variables over the task's. */
class Overlay implements VarSource {
  constructor(
    private readonly top: Dict,
    private readonly below: VarSource,
  ) {}
  lookup(name: string): unknown {
    return Object.hasOwn(this.top, name) ? this.top[name] : this.below.lookup(name);
  }
  names(): string[] {
    return [...new Set([...Object.keys(this.top), ...this.below.names()])];
  }
}

/** Runs `cmd` with /bin/sh on the controller, in the playbook's directory (Ansible's basedir). */
function shell(ctx: RenderContext, cmd: string, plugin: string): string {
  const cwd = str(ctx.scope.lookup('playbook_dir')) ?? process.cwd();
  const r = spawnSync('/bin/sh', ['-c', cmd], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`lookup_plugin.${plugin}(${cmd}) could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`lookup_plugin.${plugin}(${cmd}) returned ${r.status ?? r.signal}`);
  return r.stdout;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, close);
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Files (not directories) matching a glob whose wildcards are only in the last component. */
function globFiles(pattern: string): string[] {
  const dir = dirname(pattern);
  const re = globToRegExp(basename(pattern));
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => re.test(n) && (basename(pattern).startsWith('.') || !n.startsWith('.')))
    .map((n) => join(dir, n))
    .filter(isFile)
    .sort();
}

function firstFound(terms: unknown[], kw: Dict, ctx: RenderContext): unknown[] {
  const candidates: string[] = [];
  let skip = truthy(kw.skip ?? false);
  const add = (files: unknown, paths: unknown) => {
    const split = (v: unknown): string[] => (Array.isArray(v) ? v.map(pyStr) : v === undefined || v === null ? [] : pyStr(v).split(/[,;]/)).filter((x) => x !== '');
    const fs = split(files);
    const ps = split(paths);
    for (const f of fs) {
      if (ps.length === 0) candidates.push(f);
      else for (const p of ps) candidates.push(join(p, f));
    }
  };
  if (kw.files !== undefined || kw.paths !== undefined) add(kw.files, kw.paths);
  for (const t of terms) {
    if (isDict(t)) {
      add(t.files, t.paths);
      if (t.skip !== undefined) skip = truthy(t.skip);
    } else if (Array.isArray(t)) t.forEach((x) => add(x, kw.paths));
    else add(t, kw.paths);
  }
  for (const c of candidates) {
    const hit = findFile(ctx, c, 'files');
    if (hit) return [resolve(hit)];
  }
  if (skip) return [];
  throw new Error('No file was found when using first_found.');
}

const PASSWORD_CHARS: Record<string, string> = {
  ascii_letters: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ascii_lowercase: 'abcdefghijklmnopqrstuvwxyz',
  ascii_uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
};

/** `path [length=N] [chars=a,b] ...`: the stored password, or a new random one stored there. */
function password(terms: unknown[], kw: Dict, ctx: RenderContext): unknown[] {
  return terms.map((term) => {
    const [path, ...opts] = pyStr(term).trim().split(/\s+/);
    const o: Dict = { ...kw };
    for (const p of opts) {
      const eq = p.indexOf('=');
      if (eq < 0) throw new Error(`unrecognized value after key=value parameters given to password lookup: ${p}`);
      o[p.slice(0, eq)] = p.slice(eq + 1);
    }
    for (const k of Object.keys(o)) if (!['length', 'chars', 'encrypt', 'ident', 'seed'].includes(k)) throw new Error(`Unrecognized parameter(s) given to password lookup: ${k}`);
    const length = Number(o.length ?? 20);
    if (!Number.isInteger(length) || length < 1) throw new Error(`the password lookup's length must be a positive integer, got ${pyStr(o.length)}`);
    const charNames = Array.isArray(o.chars) ? o.chars.map(pyStr) : o.chars !== undefined ? pyStr(o.chars).split(',') : ['ascii_letters', 'digits', '.,:-_'];
    const chars = charNames.map((c) => PASSWORD_CHARS[c] ?? c).join('');
    if (!path) throw new Error('the password lookup needs a file path');
    const file = isAbsolute(path) ? path : join(str(ctx.scope.lookup('playbook_dir')) ?? process.cwd(), path);
    if (file !== '/dev/null') {
      try {
        const stored = readFileSync(file, 'utf8').split('\n')[0]!;
        return stored.replace(/ salt=\S*$/, '');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`the password lookup cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
      }
    }
    const pw = Array.from({ length }, () => chars[randomInt(chars.length)]).join('');
    if (file !== '/dev/null') {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${pw}\n`, { mode: 0o600 });
      renameSync(tmp, file);
    }
    return pw;
  });
}

/** Renders a template file's text against a scope (handed in: the engine sits above the lookups). */
export type RenderFile = (text: string, scope: VarSource, file: string) => unknown;

export function templateLookup(renderFile: RenderFile): LookupFn {
  return (terms, kw, ctx) =>
    terms.map((t) => {
      const name = pyStr(t);
      const path = findFile(ctx, name, 'templates');
      if (!path) throw new Error(`the template file ${name} could not be found for the lookup`);
      const extra = kw.template_vars ?? {};
      if (!isDict(extra)) throw new Error(`template_vars must be a dict, got ${pyTypeName(extra)}`);
      const fileVars = { template_path: path, template_fullpath: resolve(path), template_host: hostname(), ansible_managed: 'Managed by fleetplay', ...extra };
      const text = read(path, 'template');
      const out = pyStr(renderFile(text, new Overlay(fileVars, ctx.scope), path));
      // The lookup keeps the file's final newline (Jinja's keep_trailing_newline, as Ansible sets it).
      return text.endsWith('\n') && !out.endsWith('\n') ? `${out}\n` : out;
    });
}

export const FILE_LOOKUPS: Record<string, LookupFn> = {
  file(terms, kw, ctx) {
    return terms.map((t) => {
      const name = pyStr(t);
      const path = findFile(ctx, name, 'files');
      if (!path) throw new Error(`could not locate file in lookup: ${name} (looked in: ${isAbsolute(name) ? name : searchDirs(ctx, 'files').join(', ')})`);
      let text = read(path, 'file');
      if (kw.rstrip === undefined || truthy(kw.rstrip)) text = text.trimEnd();
      if (truthy(kw.lstrip ?? false)) text = text.trimStart();
      return text;
    });
  },
  fileglob(terms, _kw, ctx) {
    return terms.flatMap((t) => {
      const pattern = pyStr(t);
      if (isAbsolute(pattern)) return globFiles(pattern);
      for (const d of searchDirs(ctx, 'files')) {
        const found = globFiles(join(d, pattern));
        if (found.length) return found;
      }
      return [];
    });
  },
  first_found: firstFound,
  pipe: (terms, _kw, ctx) => terms.map((t) => shell(ctx, pyStr(t), 'pipe').trimEnd()),
  lines: (terms, _kw, ctx) => terms.flatMap((t) => shell(ctx, pyStr(t), 'lines').split('\n').filter((l, i, all) => i < all.length - 1 || l !== '')),
  password,
};

