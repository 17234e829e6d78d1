// package_hold: keep packages at their installed version — `apt-mark hold` on apt hosts; on dnf
// hosts an `excludepkgs` entry in /etc/dnf/dnf.conf's [main] (what dnf itself honours without the
// versionlock plugin), so neither `dnf upgrade` nor `dnf install` replaces them.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { packageNames, specWords } from './lib/package-args.js';
import { applyText, type FileChange, type FileText, planText, readText } from './lib/repo-file.js';

const schema = Type.Object(
  {
    name: Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Package names (globs on dnf hosts).' }),
    state: Type.Optional(Type.Union([Type.Literal('held'), Type.Literal('unheld')], { description: 'held (default) or unheld.' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export const DNF_CONF = '/etc/dnf/dnf.conf';

type Current = { manager: 'apt'; held: string[] } | { manager: 'dnf'; conf: FileText };
type Change = { manager: 'apt'; verb: 'hold' | 'unhold'; names: string[] } | ({ manager: 'dnf' } & FileChange);

/** The dnf.conf text with `names` added to (or removed from) [main]'s excludepkgs (pure). */
export function withExcludes(conf: string, names: readonly string[], hold: boolean): string {
  const lines = conf.split('\n');
  let main = lines.findIndex((l) => /^\[main\]\s*$/.test(l));
  if (main < 0) {
    lines.unshift('[main]');
    main = 0;
  }
  let end = lines.findIndex((l, i) => i > main && /^\[/.test(l));
  if (end < 0) end = lines.length;
  const at = lines.findIndex((l, i) => i > main && i < end && /^(excludepkgs|exclude)\s*=/.test(l));
  const current = at < 0 ? [] : lines[at]!.slice(lines[at]!.indexOf('=') + 1).split(/[\s,]+/).filter(Boolean);
  const next = hold ? [...current, ...names.filter((n) => !current.includes(n))] : current.filter((n) => !names.includes(n));
  const line = next.length ? `excludepkgs=${next.join(',')}` : undefined;
  if (at >= 0) lines.splice(at, 1, ...(line ? [line] : []));
  else if (line) {
    // After [main]'s last setting, before any blank lines that end the section.
    let last = end;
    while (last - 1 > main && lines[last - 1]!.trim() === '') last--;
    lines.splice(last, 0, line);
  }
  return lines.join('\n');
}

export function dnfExcludes(conf: string): string[] {
  const m = conf.match(/^\[main\][^[]*?^(?:excludepkgs|exclude)\s*=(.*)$/m);
  return m ? m[1]!.split(/[\s,]+/).filter(Boolean) : [];
}

export const packageHold: Module<Args, Current, Change> = {
  meta: {
    name: 'package_hold',
    collections: ['fleetplay'],
    description: 'Hold packages at their installed version (apt-mark hold; excludepkgs in dnf.conf).',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'package_hold:\n  name: [linux-image-azure, mlnx-ofed-kernel-dkms]\n  state: held',
    returns: { held: 'The packages held after the task.' },
  },
  schema,
  async read(ctx, args) {
    specWords(packageNames(args.name));
    const mgr = (ctx.facts.pkg_mgr as string | undefined) ?? (await ctx.run('for m in dnf yum apt-get; do command -v $m >/dev/null 2>&1 && { echo $m; exit 0; }; done')).stdout.trim();
    if (mgr === 'apt' || mgr === 'apt-get') {
      const r = await ctx.run('LC_ALL=C apt-mark showhold');
      if (r.rc !== 0) throw new Error(`apt-mark showhold: ${r.stderr.trim()}`);
      return { manager: 'apt', held: r.stdout.split('\n').map((l) => l.trim()).filter(Boolean) };
    }
    if (mgr === 'dnf' || mgr === 'yum') return { manager: 'dnf', conf: await readText(ctx, DNF_CONF) };
    throw new Error(`package_hold: no supported package manager on this host (found '${mgr || 'none'}')`);
  },
  plan(args, cur) {
    const names = packageNames(args.name);
    const hold = args.state !== 'unheld';
    if (cur.manager === 'apt') {
      const todo = names.filter((n) => cur.held.includes(n) !== hold);
      const after = hold ? [...new Set([...cur.held, ...names])] : cur.held.filter((n) => !names.includes(n));
      if (todo.length === 0) return { changes: [], reason: `${names.join(', ')} already ${hold ? 'held' : 'not held'}`, result: { held: cur.held } };
      return {
        changes: [{ manager: 'apt', verb: hold ? 'hold' : 'unhold', names: todo }],
        diff: [{ kind: 'fields', label: 'apt-mark', fields: todo.map((n) => ({ key: n, before: hold ? 'not held' : 'held', after: hold ? 'held' : 'not held' })) }],
        reason: `${hold ? 'hold' : 'unhold'} ${todo.join(', ')}`,
        result: { held: after },
      };
    }
    const text = cur.conf.text ?? '[main]\n';
    const want = withExcludes(text, names, hold);
    const p = planText(cur.conf, want === text && cur.conf.text !== undefined ? cur.conf.text : want, 0o644, 'dnf excludes', { held: dnfExcludes(want) });
    return { ...p, changes: p.changes.map((c) => ({ manager: 'dnf' as const, ...c })) };
  },
  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    if (c.manager === 'apt') {
      const r = await ctx.run(`LC_ALL=C apt-mark ${c.verb} ${specWords(c.names)}`);
      if (r.rc !== 0) return { failed: `apt-mark ${c.verb}: ${r.stderr.trim() || r.stdout.trim()}` };
      return { result: plan.result };
    }
    return applyText(ctx, { ...plan, changes: plan.changes.map((x) => x as FileChange & { manager: 'dnf' }) });
  },
};
