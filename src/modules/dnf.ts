// dnf (alias yum): RHEL-family packages. read asks rpm what is installed and dnf what a run would
// do (`dnf --assumeno`, which resolves the whole transaction and stops before changing anything), so
// check mode names exactly the packages a real run installs, upgrades or removes; apply runs one
// dnf for all names.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { dnfErrorMessage, parseDnfTransaction, parseRpmQuery, RPM_QUERY_FORMAT } from './lib/dnf-output.js';
import { packageNames, packageState, specWords } from './lib/package-args.js';
import { describeTransaction, emptyTransaction, isEmptyTransaction, rpmEvrCompare, transactionFields, type Transaction } from './lib/package-tx.js';
import { shQuote } from '../engine/connection/quote.js';

const list = (description: string) => Type.Union([Type.String(), Type.Array(Type.String())], { description });
const schema = Type.Object(
  {
    name: Type.Optional(list("Package specs: 'name', 'name-version[-release]', 'name >= version'.")),
    pkg: Type.Optional(list('Same as name.')),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent'), Type.Literal('latest'), Type.Literal('installed'), Type.Literal('removed')], { description: 'present (default) installs missing packages; latest also upgrades; absent removes.' })),
    update_cache: Type.Optional(Type.Boolean({ description: 'Refresh the repository metadata first (dnf --refresh).' })),
    disable_gpg_check: Type.Optional(Type.Boolean({ description: 'Do not check package signatures (--nogpgcheck).' })),
    enablerepo: Type.Optional(list('Repositories to enable for this task.')),
    disablerepo: Type.Optional(list("Repositories to disable for this task ('*' for all).")),
    allow_downgrade: Type.Optional(Type.Boolean({ description: 'Allow installing an older version than the installed one.' })),
    autoremove: Type.Optional(Type.Boolean({ description: 'Remove packages installed only as dependencies that nothing needs any more.' })),
    install_weak_deps: Type.Optional(Type.Boolean({ description: 'Install weak dependencies (Recommends); default true as dnf.' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export interface DnfCurrent {
  installed: Record<string, string[]>;
  tx: Transaction;
  verb: 'install' | 'remove' | 'autoremove' | 'none';
  specs: string[];
  error?: string;
}

interface Change {
  verb: DnfCurrent['verb'];
  specs: string[];
  options: string[];
}

const OP = /^(\S+?)\s*(>=|<=|=|>|<)\s*(\S+)$/;

/** Whether an installed version satisfies `name >= 1.0`-style specs (pure; rpm's ordering). */
function satisfied(spec: string, installed: Record<string, string[]>, byQuery: Set<string>): boolean {
  const m = spec.match(OP);
  if (!m) return byQuery.has(spec);
  const [, name, op, want] = m as unknown as [string, string, string, string];
  return (installed[name] ?? []).some((v) => {
    const c = rpmEvrCompare(v, want);
    return op === '>=' ? c >= 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : op === '<' ? c < 0 : c === 0;
  });
}

export function dnfTargets(args: Args, installed: Record<string, string[]>, matched: Set<string>): Pick<DnfCurrent, 'verb' | 'specs'> {
  const specs = packageNames(args.name ?? args.pkg);
  const state = packageState(args.state);
  if (state === 'absent') {
    const present = specs.filter((s) => satisfied(s, installed, matched));
    if (present.length) return { verb: 'remove', specs: present };
  } else {
    const todo = state === 'latest' ? specs : specs.filter((s) => !satisfied(s, installed, matched));
    if (todo.length) return { verb: 'install', specs: todo };
  }
  return args.autoremove ? { verb: 'autoremove', specs: [] } : { verb: 'none', specs: [] };
}

function dnfOptions(args: Args): string[] {
  const o: string[] = [];
  if (args.update_cache) o.push('--refresh');
  if (args.disable_gpg_check) o.push('--nogpgcheck');
  // Ansible order: disable first, then enable (so disablerepo='*' enablerepo=x works).
  for (const r of packageNames(args.disablerepo)) o.push(`--disablerepo=${shQuote(r)}`);
  for (const r of packageNames(args.enablerepo)) o.push(`--enablerepo=${shQuote(r)}`);
  if (args.install_weak_deps === false) o.push('--setopt=install_weak_deps=False');
  return o;
}

export const dnf: Module<Args, DnfCurrent, Change> = {
  meta: {
    name: 'dnf',
    aliases: ['yum', 'dnf5'],
    description: 'Install, upgrade or remove RHEL-family packages with dnf (check mode asks dnf --assumeno).',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'dnf:\n  name: [rdma-core, infiniband-diags, perftest]\n  state: present',
    returns: {
      packages: 'What dnf did (or would do): install, upgrade, downgrade, remove — each a list of {name, from, to}.',
      results: 'One line per package changed, as Ansible lists them.',
      stdout: "dnf's output.",
      stderr: "dnf's error output.",
    },
  },
  schema,
  async read(ctx, args) {
    const specs = packageNames(args.name ?? args.pkg);
    const plain = specs.filter((s) => !OP.test(s));
    const names = [...new Set(specs.map((s) => s.match(OP)?.[1] ?? s))];
    // rpm resolves name, name-version and name-version-release specs itself: one line per match.
    const probe = [
      'export LC_ALL=C',
      "echo '@@installed'",
      names.length ? `rpm -q --qf ${shQuote(RPM_QUERY_FORMAT)} ${specWords(names)} 2>/dev/null | grep -v '^package .* is not installed$'` : 'true',
      "echo '@@matched'",
      ...plain.map((s) => `rpm -q ${specWords([s])} >/dev/null 2>&1 && printf '%s\\n' ${shQuote(s)}`),
      "echo '@@end'",
    ].join('\n');
    const r = await ctx.run(probe);
    const section = (name: string) => r.stdout.split(`@@${name}\n`)[1]?.split('\n@@')[0] ?? '';
    const installed = Object.fromEntries(parseRpmQuery(section('installed')));
    const matched = new Set(section('matched').split('\n').filter(Boolean));
    const base: DnfCurrent = { installed, tx: emptyTransaction(), ...dnfTargets(args, installed, matched) };
    if (base.verb === 'none') return base;
    const simulate = `LC_ALL=C dnf --assumeno ${dnfOptions(args).join(' ')} ${base.verb} ${specWords(base.specs)}`;
    let sim = await ctx.run(simulate);
    if (/repomd\.xml GPG signature verification error/.test(sim.stdout + sim.stderr)) {
      // --assumeno also declines importing a repository's metadata key (repo_gpgcheck) into dnf's
      // cache keyring, so a first look at such a repository always fails. Let dnf build its
      // metadata cache (and import the configured keys) as any dnf command with -y does, then look
      // again; a repository signed with another key still fails, now for that reason.
      await ctx.run(`LC_ALL=C dnf -y -q ${dnfOptions(args).join(' ')} makecache`);
      sim = await ctx.run(simulate);
    }
    // --assumeno always exits 1 ("Operation aborted."); a real failure says Error: or No match.
    const out = `${sim.stdout}\n${sim.stderr}`;
    if (/^(Error:|No match for argument)/m.test(out) || (sim.rc !== 0 && !/Operation aborted|Nothing to do/.test(out))) {
      return { ...base, error: dnfErrorMessage(sim.stderr, sim.stdout) };
    }
    const tx = parseDnfTransaction(sim.stdout, new Map(Object.entries(installed)));
    // A spec such as name-1.0 names no installed package: ask rpm for what an upgrade or downgrade replaces.
    const unknown = [...tx.upgrade, ...tx.downgrade].filter((c) => !c.from).map((c) => c.name);
    if (unknown.length) {
      const q = await ctx.run(`rpm -q --qf ${shQuote(RPM_QUERY_FORMAT)} ${specWords(unknown)} 2>/dev/null`);
      const more = parseRpmQuery(q.stdout);
      for (const c of [...tx.upgrade, ...tx.downgrade]) if (!c.from && more.get(c.name)) c.from = more.get(c.name)![0];
      for (const [name, versions] of more) installed[name] ??= versions;
    }
    return { ...base, installed, tx };
  },
  plan(args, cur) {
    if (cur.error) return { changes: [], failed: cur.error };
    if (cur.tx.downgrade.length && !args.allow_downgrade && packageState(args.state) !== 'absent') {
      return { changes: [], failed: `would downgrade ${cur.tx.downgrade.map((c) => `${c.name} (${c.from} → ${c.to})`).join(', ')}: set allow_downgrade: true to allow it` };
    }
    const result = { packages: cur.tx, results: [] as string[] };
    if (isEmptyTransaction(cur.tx)) {
      const specs = packageNames(args.name ?? args.pkg);
      const what = packageState(args.state) === 'absent' ? 'absent' : 'installed';
      return { changes: [], reason: specs.length ? `${specs.join(', ')} already ${what}` : 'nothing to do', result };
    }
    const results = [
      ...cur.tx.install.map((c) => `Installed: ${c.name}-${c.to}`),
      ...cur.tx.upgrade.map((c) => `Upgraded: ${c.name}-${c.to}`),
      ...cur.tx.downgrade.map((c) => `Downgraded: ${c.name}-${c.to}`),
      ...cur.tx.remove.map((c) => `Removed: ${c.name}-${c.from}`),
    ];
    return {
      changes: [{ verb: cur.verb, specs: cur.specs, options: dnfOptions(args) }],
      diff: [{ kind: 'fields', label: 'packages', fields: transactionFields(cur.tx) }],
      reason: describeTransaction(cur.tx),
      result: { ...result, results },
    };
  },
  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    const r = await ctx.run(`LC_ALL=C dnf -y ${c.options.join(' ')} ${c.verb} ${specWords(c.specs)}`);
    const result = { ...plan.result, stdout: r.stdout, stderr: r.stderr, rc: r.rc };
    if (r.rc !== 0) {
      const scriptlet = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => /scriptlet failed|%post\(/.test(l));
      return { failed: [scriptlet?.trim(), dnfErrorMessage(r.stderr, r.stdout)].filter(Boolean).join('; '), result };
    }
    return { result };
  },
  verify(_args, after) {
    return isEmptyTransaction(after.tx) && !after.error ? [] : [`still to do: ${describeTransaction(after.tx) || after.error}`];
  },
};
