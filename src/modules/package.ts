// package: the host's own package manager (apt on Debian/Ubuntu, dnf on the RHEL family), chosen from
// the pkg_mgr fact or, without gathered facts, from what the host has on PATH. The arguments the
// two share pass through; the chosen module does the work (and its check mode).
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { apt, type AptCurrent } from './apt.js';
import { dnf, type DnfCurrent } from './dnf.js';

const schema = Type.Object(
  {
    name: Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Package names (the manager decides what a version spec may look like).' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent'), Type.Literal('latest'), Type.Literal('installed'), Type.Literal('removed')], { description: 'present (default), latest or absent.' })),
    // Ansible passes a backend's own options through; these mean the same on apt and dnf.
    update_cache: Type.Optional(Type.Boolean({ description: 'Refresh the package indexes first (apt-get update / dnf --refresh).' })),
    allow_downgrade: Type.Optional(Type.Boolean({ description: 'Allow installing an older version than the installed one.' })),
    autoremove: Type.Optional(Type.Boolean({ description: 'Remove dependencies nothing needs any more.' })),
    use: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('apt'), Type.Literal('dnf'), Type.Literal('yum')], { description: 'The package manager (default: the host\'s).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

type Manager = 'apt' | 'dnf';
type Current = { manager: 'apt'; inner: AptCurrent } | { manager: 'dnf'; inner: DnfCurrent };
type Change = { manager: Manager; inner: unknown };

const pass = (args: Args) => {
  const { use: _use, ...rest } = args;
  return rest;
};

export const packageModule: Module<Args, Current, Change> = {
  meta: {
    name: 'package',
    description: "Install or remove packages with the host's package manager (apt or dnf).",
    platforms: ['linux'],
    checkMode: 'full',
    example: 'package:\n  name: [rdma-core, perftest]\n  state: present',
    returns: { packages: 'What the package manager did (or would do): install, upgrade, downgrade, remove.' },
  },
  schema,
  async read(ctx, args) {
    let manager = args.use && args.use !== 'auto' ? args.use : (ctx.facts.pkg_mgr as string | undefined) ?? (ctx.facts.ansible_pkg_mgr as string | undefined);
    if (!manager) {
      const r = await ctx.run('for m in dnf yum apt-get; do command -v $m >/dev/null 2>&1 && { echo $m; exit 0; }; done; echo none');
      manager = r.stdout.trim();
    }
    if (manager === 'apt' || manager === 'apt-get') return { manager: 'apt', inner: await apt.read(ctx, pass(args)) };
    if (manager === 'dnf' || manager === 'yum') return { manager: 'dnf', inner: await dnf.read(ctx, pass(args)) };
    throw new Error(`package: no supported package manager on this host (found '${manager}'; apt and dnf are supported)`);
  },
  plan(args, cur, ctx) {
    const p = cur.manager === 'apt' ? apt.plan(pass(args), cur.inner, ctx) : dnf.plan(pass(args), cur.inner, ctx);
    return { ...p, changes: p.changes.map((inner) => ({ manager: cur.manager, inner })) };
  },
  async apply(ctx, plan) {
    const manager = plan.changes[0]!.manager;
    const inner = { ...plan, changes: plan.changes.map((c) => c.inner) };
    return manager === 'apt' ? apt.apply(ctx, inner as Parameters<typeof apt.apply>[1]) : dnf.apply(ctx, inner as Parameters<typeof dnf.apply>[1]);
  },
  verify(args, after, ctx) {
    return after.manager === 'apt' ? apt.verify!(pass(args), after.inner, ctx) : dnf.verify!(pass(args), after.inner, ctx);
  },
};
