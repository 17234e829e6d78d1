// Item cmdlets over the lab filesystem and the HKLM: registry drive: Test-Path, Get-Item,
// Get-ChildItem, New-Item, Remove-Item, Move-Item, Copy-Item, Join-Path, Split-Path, Set/Get-Location.

import type { FileEntry } from '../model/state.js';
import type { CmdletContext, ParamSpec } from '../ps/cmdlet.js';
import { CmdletError, errorInfo } from '../ps/errors.js';
import { hasWildcard, wildcardToRegExp } from '../ps/operators.js';
import { enumerate, type PsObject, toStr, type PsValue } from '../ps/values.js';
import { typed, type Cmdlet, type Machine } from './machine.js';
import { isRegistryPath, Registry } from './registry.js';

const MGMT = 'Microsoft.PowerShell.Management';
const cmd = (n: string): string => `Microsoft.PowerShell.Commands.${n}Command`;

export const PATH_PARAMS: ParamSpec[] = [
  { name: 'Path', type: 'string[]', position: 0, pipeline: { byValue: true } },
  { name: 'LiteralPath', aliases: ['PSPath', 'LP'], type: 'string[]', pipeline: { byPropertyName: true } },
];

const base = (p: string): string => p.slice(p.lastIndexOf('\\') + 1);

export function itemObject(e: FileEntry): PsObject {
  const name = base(e.path);
  const when = new Date(e.mtimeMs);
  const parent = e.path.slice(0, Math.max(2, e.path.lastIndexOf('\\'))) || 'C:\\';
  const common: [string, PsValue][] = [['PSPath', `Microsoft.PowerShell.Core\\FileSystem::${e.path}`], ['PSIsContainer', e.type === 'dir'], ['Exists', true],
    ['LastWriteTime', when], ['LastWriteTimeUtc', when], ['CreationTime', when], ['CreationTimeUtc', when], ['LinkType', null], ['Target', null]];
  if (e.type === 'dir') {
    return typed('System.IO.DirectoryInfo', [['Name', name], ['FullName', e.path], ['Mode', 'd-----'], ['Attributes', 'Directory'], ['Parent', base(parent)], ...common], e.path);
  }
  const dot = name.lastIndexOf('.');
  return typed('System.IO.FileInfo', [['Name', name], ['FullName', e.path], ['Length', e.size], ['Extension', dot > 0 ? name.slice(dot) : ''],
    ['BaseName', dot > 0 ? name.slice(0, dot) : name], ['DirectoryName', parent.length === 2 ? 'C:\\' : parent], ['Mode', '-a----'], ['Attributes', 'Archive'],
    ['VersionInfo', typed('System.Diagnostics.FileVersionInfo', [['FileName', e.path], ['FileVersion', e.version ?? null], ['ProductVersion', e.version ?? null]])], ...common], e.path);
}

/** Paths from -Path (wildcards expanded; missing ones reported) or -LiteralPath (taken as-is). */
export function resolvePaths(ctx: CmdletContext<Machine>, a: Record<string, PsValue>, reportMissing = true): string[] {
  const fs = ctx.machine.fs;
  const out: string[] = [];
  for (const p of enumerate(a['LiteralPath'] ?? []).map(toStr)) out.push(isRegistryPath(p) ? p : fs.resolve(p));
  for (const p of enumerate(a['Path'] ?? []).map(toStr)) {
    if (isRegistryPath(p)) {
      const keys = new Registry(ctx.machine).match(p);
      if (keys.length === 0 && reportMissing) ctx.writeError(missing(p));
      out.push(...keys);
      continue;
    }
    const abs = fs.resolve(p);
    if (!hasWildcard(base(abs))) {
      out.push(abs);
      continue;
    }
    const re = wildcardToRegExp(base(abs));
    const matches = fs.children(fs.parentOf(abs)).filter((e) => re.test(base(e.path))).map((e) => e.path);
    if (matches.length === 0 && reportMissing) ctx.writeError(missing(abs));
    out.push(...matches);
  }
  return out;
}

export function missing(path: string): ReturnType<typeof errorInfo> {
  return errorInfo(`Cannot find path '${path}' because it does not exist.`, 'ObjectNotFound', 'PathNotFound', 'ItemNotFoundException', path);
}

function eachPath(ctx: CmdletContext<Machine>, paths: string[], fn: (p: string) => void): void {
  for (const p of paths) {
    try {
      fn(p);
    } catch (e) {
      if (e instanceof CmdletError && !e.terminating) ctx.writeError(e.info);
      else throw e;
    }
  }
}

export const fileCmdlets: Cmdlet[] = [
  {
    name: 'Test-Path', module: MGMT, commandType: cmd('TestPath'), input: 'each',
    params: [...PATH_PARAMS, { name: 'PathType', aliases: ['Type'], type: 'string', validateSet: ['Any', 'Container', 'Leaf'] }, { name: 'IsValid', type: 'switch' }],
    run(ctx, a) {
      const type = toStr(a['PathType'] ?? 'Any').toLowerCase();
      for (const p of [...enumerate(a['LiteralPath'] ?? []), ...enumerate(a['Path'] ?? [])].map(toStr)) {
        if (a['IsValid']) {
          ctx.write(!/[<>"|?*]/.test(p.replace(/^[A-Za-z]:/, '')));
          continue;
        }
        if (isRegistryPath(p)) {
          ctx.write(type !== 'leaf' && new Registry(ctx.machine).match(p).length > 0);
          continue;
        }
        const matches = resolvePaths(ctx, ctx.bound('LiteralPath') ? { LiteralPath: p } : { Path: p }, false).map((x) => ctx.machine.fs.entry(x));
        ctx.write(matches.some((e) => e && (type === 'any' || (type === 'leaf') === (e.type === 'file'))));
      }
    },
  },
  {
    name: 'Get-Item', module: MGMT, commandType: cmd('GetItem'), input: 'each',
    params: [...PATH_PARAMS, { name: 'Force', type: 'switch' }],
    run(ctx, a) {
      eachPath(ctx, resolvePaths(ctx, a), (p) => {
        if (isRegistryPath(p)) return ctx.write(new Registry(ctx.machine).keyObject(p));
        const e = ctx.machine.fs.entry(p);
        if (!e) throw new CmdletError(missing(p));
        ctx.write(itemObject(e));
      });
    },
  },
  {
    name: 'Get-ChildItem', module: MGMT, commandType: cmd('GetChildItem'), input: 'each',
    params: [...PATH_PARAMS, { name: 'Filter', type: 'string', position: 1 }, { name: 'Recurse', type: 'switch' }, { name: 'File', type: 'switch' },
      { name: 'Directory', type: 'switch' }, { name: 'Force', type: 'switch' }, { name: 'Name', type: 'switch' }],
    run(ctx, a) {
      const fs = ctx.machine.fs;
      const paths = a['Path'] === undefined && a['LiteralPath'] === undefined ? [fs.cwd] : resolvePaths(ctx, a);
      const filter = a['Filter'] !== undefined ? wildcardToRegExp(toStr(a['Filter'])) : null;
      const walk = (dir: string): void => {
        for (const e of fs.children(dir)) {
          const keep = (!filter || filter.test(base(e.path))) && !(a['File'] && e.type === 'dir') && !(a['Directory'] && e.type === 'file');
          if (keep) ctx.write(a['Name'] ? base(e.path) : itemObject(e));
          if (a['Recurse'] && e.type === 'dir') walk(e.path);
        }
      };
      eachPath(ctx, paths, (p) => {
        if (isRegistryPath(p)) {
          const reg = new Registry(ctx.machine);
          for (const k of reg.subkeys(p)) ctx.write(reg.keyObject(k));
          return;
        }
        const e = fs.entry(p);
        if (!e) throw new CmdletError(missing(p));
        if (e.type === 'file') ctx.write(itemObject(e));
        else walk(p);
      });
    },
  },
  {
    name: 'New-Item', module: MGMT, commandType: cmd('NewItem'), input: 'each', supportsShouldProcess: true,
    params: [{ name: 'Path', type: 'string[]', position: 0, pipeline: { byPropertyName: true } }, { name: 'Name', type: 'string' },
      { name: 'ItemType', aliases: ['Type'], type: 'string' }, { name: 'Value', type: 'any', pipeline: { byValue: true } }, { name: 'Force', type: 'switch' }],
    run(ctx, a) {
      const fs = ctx.machine.fs;
      const paths = enumerate(a['Path'] ?? [fs.cwd]).map(toStr).map((p) => (a['Name'] !== undefined ? `${p}\\${toStr(a['Name'])}` : p));
      const type = toStr(a['ItemType'] ?? 'File').toLowerCase();
      eachPath(ctx, paths, (p) => {
        if (isRegistryPath(p)) {
          const reg = new Registry(ctx.machine);
          reg.ensureKey(p);
          return ctx.write(reg.keyObject(p));
        }
        const abs = fs.resolve(p);
        const existing = fs.entry(abs);
        if (!ctx.shouldProcess(abs, type === 'directory' ? 'Create Directory' : 'Create File')) return;
        if (type === 'directory') {
          if (existing && !a['Force']) throw new CmdletError(errorInfo(`An item with the specified name ${abs} already exists.`, 'ResourceExists', 'DirectoryExist', 'IOException', abs));
          fs.mkdir(abs);
        } else {
          if (existing && !a['Force']) throw new CmdletError(errorInfo(`The file '${abs}' already exists.`, 'WriteError', 'NewItemIOError', 'IOException', abs));
          if (a['Force']) fs.mkdir(fs.parentOf(abs));
          fs.write(abs, Buffer.from(a['Value'] !== undefined ? toStr(a['Value']) : '', 'utf8'));
        }
        ctx.write(itemObject(fs.entry(abs)!));
      });
    },
  },
  {
    name: 'Remove-Item', module: MGMT, commandType: cmd('RemoveItem'), input: 'each', supportsShouldProcess: true,
    params: [...PATH_PARAMS, { name: 'Recurse', type: 'switch' }, { name: 'Force', type: 'switch' }],
    run(ctx, a) {
      eachPath(ctx, resolvePaths(ctx, a), (p) => {
        if (!ctx.shouldProcess(p, 'Remove File')) return;
        if (isRegistryPath(p)) return new Registry(ctx.machine).removeKey(p);
        ctx.machine.fs.remove(p, !!a['Recurse']);
      });
    },
  },
  {
    name: 'Move-Item', module: MGMT, commandType: cmd('MoveItem'), input: 'each', supportsShouldProcess: true,
    params: [...PATH_PARAMS, { name: 'Destination', type: 'string', position: 1 }, { name: 'Force', type: 'switch' }, { name: 'PassThru', type: 'switch' }],
    run(ctx, a) {
      const dest = toStr(a['Destination'] ?? ctx.machine.fs.cwd);
      eachPath(ctx, resolvePaths(ctx, a), (p) => {
        if (ctx.shouldProcess(p, 'Move File')) ctx.machine.fs.move(p, dest, !!a['Force']);
      });
    },
  },
  {
    name: 'Copy-Item', module: MGMT, commandType: cmd('CopyItem'), input: 'each', supportsShouldProcess: true,
    params: [...PATH_PARAMS, { name: 'Destination', type: 'string', position: 1 }, { name: 'Force', type: 'switch' }, { name: 'Recurse', type: 'switch' }, { name: 'PassThru', type: 'switch' }],
    run(ctx, a) {
      const fs = ctx.machine.fs;
      eachPath(ctx, resolvePaths(ctx, a), (p) => {
        const src = fs.entry(p);
        if (!src) throw new CmdletError(missing(p));
        let dst = fs.resolve(toStr(a['Destination']));
        if (fs.entry(dst)?.type === 'dir') dst = `${dst}\\${base(src.path)}`;
        if (!ctx.shouldProcess(p, 'Copy File')) return;
        if (src.type === 'dir') fs.mkdir(dst);
        else fs.write(dst, fs.read(p));
        if (a['PassThru']) ctx.write(itemObject(fs.entry(dst)!));
      });
    },
  },
  {
    name: 'Join-Path', module: MGMT, commandType: cmd('JoinPath'), input: 'none',
    params: [{ name: 'Path', type: 'string[]', position: 0, mandatory: true }, { name: 'ChildPath', type: 'string', position: 1, mandatory: true }],
    run(ctx, a) {
      for (const p of enumerate(a['Path']).map(toStr)) ctx.write(`${p.replace(/[\\/]+$/, '')}\\${toStr(a['ChildPath']).replace(/^[\\/]+/, '')}`);
    },
  },
  {
    name: 'Split-Path', module: MGMT, commandType: cmd('SplitPath'), input: 'each',
    params: [{ name: 'Path', type: 'string[]', position: 0, pipeline: { byValue: true } }, { name: 'Parent', type: 'switch' }, { name: 'Leaf', type: 'switch' }, { name: 'Qualifier', type: 'switch' }],
    run(ctx, a) {
      for (const p of enumerate(a['Path'] ?? []).map(toStr)) {
        const norm = p.replace(/\//g, '\\').replace(/\\+$/, '');
        const i = norm.lastIndexOf('\\');
        if (a['Leaf']) ctx.write(norm.slice(i + 1));
        else if (a['Qualifier']) ctx.write(/^[A-Za-z]:/.exec(norm)?.[0] ?? '');
        else ctx.write(i < 0 ? '' : i === 2 && norm[1] === ':' ? norm.slice(0, 3) : norm.slice(0, i));
      }
    },
  },
  {
    name: 'Set-Location', module: MGMT, commandType: cmd('SetLocation'), input: 'none',
    params: [{ name: 'Path', type: 'string', position: 0 }, { name: 'LiteralPath', type: 'string' }],
    run(ctx, a) {
      const fs = ctx.machine.fs;
      const p = fs.resolve(toStr(a['LiteralPath'] ?? a['Path'] ?? 'C:\\Users\\Administrator'));
      if (fs.entry(p)?.type !== 'dir') throw new CmdletError(missing(p), true);
      fs.cwd = p;
    },
  },
  {
    name: 'Get-Location', module: MGMT, commandType: cmd('GetLocation'), input: 'none', params: [],
    run(ctx) {
      ctx.write(typed('System.Management.Automation.PathInfo', [['Path', ctx.machine.fs.cwd], ['Drive', 'C'], ['Provider', 'Microsoft.PowerShell.Core\\FileSystem']], ctx.machine.fs.cwd));
    },
  },
];
