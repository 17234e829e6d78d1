// apt: Debian/Ubuntu packages through apt-get. read asks apt itself what a run would do
// (`apt-get -s`, against freshly downloaded indexes in a temporary directory when the cache is due
// for an update, so check mode names exactly the packages a real run installs); apply runs one
// apt-get for all names, waiting for the dpkg lock up to lock_timeout.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';
import { aptErrorMessage, dpkgFailure, dpkgInstalled, parseHeldChanges, DPKG_QUERY_FORMAT, parseAptSimulation, parseDpkgAudit, parseDpkgQuery, type DpkgEntry } from './lib/apt-output.js';
import { packageNames, packageState, specWords } from './lib/package-args.js';
import { describeTransaction, emptyTransaction, isEmptyTransaction, transactionFields, type Transaction } from './lib/package-tx.js';
import { splitSections } from './lib/os-facts.js';

const names = Type.Union([Type.String(), Type.Array(Type.String())], { description: "Package names; 'name=version' pins a version." });
const schema = Type.Object(
  {
    name: Type.Optional(names),
    pkg: Type.Optional(names),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent'), Type.Literal('latest'), Type.Literal('installed'), Type.Literal('removed')], { description: 'present (default) installs missing packages; latest also upgrades; absent removes.' })),
    update_cache: Type.Optional(Type.Boolean({ description: 'Run apt-get update first.' })),
    cache_valid_time: Type.Optional(Type.Integer({ minimum: 0, description: 'Update the cache only when it is older than this many seconds (implies update_cache).' })),
    install_recommends: Type.Optional(Type.Boolean({ description: "Install recommended packages (default: apt's configuration)." })),
    allow_downgrade: Type.Optional(Type.Boolean({ description: 'Allow installing an older version than the installed one (name=version).' })),
    autoremove: Type.Optional(Type.Boolean({ description: 'Remove packages installed only as dependencies that nothing needs any more.' })),
    purge: Type.Optional(Type.Boolean({ description: 'With state absent: remove configuration files too.' })),
    deb: Type.Optional(Type.String({ description: 'Path of a .deb file on the host to install.' })),
    lock_timeout: Type.Optional(Type.Integer({ minimum: 0, description: 'Seconds to wait for the dpkg lock (default 60).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export interface AptCurrent {
  audit: string[];
  interrupted: boolean;
  installed: Record<string, DpkgEntry>;
  /** Whether read found the cache due for the update the task asks for. */
  needUpdate: boolean;
  /** What apt-get -s says the task's command would do. */
  tx: Transaction;
  verb: 'install' | 'remove' | 'autoremove' | 'none';
  specs: string[];
  /** Held packages (apt-mark hold, dpkg_selections) the command would change. */
  heldChanged?: string[];
  error?: string;
}

interface Change {
  update: boolean;
  verb: AptCurrent['verb'];
  specs: string[];
  options: string[];
  lockTimeout: number;
}

const baseName = (spec: string) => spec.split('=')[0]!.replace(/:[a-z0-9]+$/, '');

/** The apt-get verb and specs the task needs, given what dpkg has installed (pure). */
export function aptTargets(args: Args, installed: Record<string, DpkgEntry>, deb?: { name: string; version: string }): Pick<AptCurrent, 'verb' | 'specs'> {
  const state = packageState(args.state);
  const specs = packageNames(args.name ?? args.pkg);
  if (args.deb) {
    const have = deb && installed[deb.name];
    return have && dpkgInstalled(have) && have.version === deb!.version ? { verb: 'none', specs: [] } : { verb: 'install', specs: [args.deb] };
  }
  if (state === 'absent') {
    const present = specs.filter((s) => {
      const e = installed[baseName(s)];
      // Installed, half-installed, or (with purge) removed with its configuration left behind.
      return e !== undefined && (dpkgInstalled(e) || /^[ih][UFHWt]/.test(e.status) || (Boolean(args.purge) && e.status.startsWith('rc')));
    });
    if (present.length) return { verb: 'remove', specs: present };
    return args.autoremove ? { verb: 'autoremove', specs: [] } : { verb: 'none', specs: [] };
  }
  const todo = state === 'latest' ? specs : specs.filter((s) => {
    const have = installed[baseName(s)];
    const version = s.includes('=') ? s.slice(s.indexOf('=') + 1) : undefined;
    return !dpkgInstalled(have) || (version !== undefined && have!.version !== version);
  });
  if (todo.length) return { verb: 'install', specs: todo };
  return args.autoremove ? { verb: 'autoremove', specs: [] } : { verb: 'none', specs: [] };
}

function aptOptions(args: Args, verb: AptCurrent['verb']): string[] {
  const o: string[] = [];
  if (verb === 'install') {
    if (args.install_recommends === true) o.push('--install-recommends');
    if (args.install_recommends === false) o.push('--no-install-recommends');
    if (args.allow_downgrade) o.push('--allow-downgrades');
  }
  if (verb === 'remove' && args.purge) o.push('--purge');
  if (verb === 'remove' && args.autoremove) o.push('--autoremove');
  return o;
}

// Indexes downloaded into a temporary directory, with apt's binary caches off, leave the host's
// own cache exactly as it was.
const TEMP_LISTS = [
  'L=$(mktemp -d) || exit 1; mkdir -p "$L/partial"; chown _apt "$L/partial" 2>/dev/null',
  'O="-o Dir::State::Lists=$L -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache="',
  'apt-get -q $O update >"$L.out" 2>&1 || { cat "$L.out" >&2; rm -rf "$L" "$L.out"; exit 100; }',
].join('\n');

export const apt: Module<Args, AptCurrent, Change> = {
  meta: {
    name: 'apt',
    description: 'Install, upgrade or remove Debian/Ubuntu packages with apt-get (check mode asks apt-get -s).',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'apt:\n  name: [rdma-core, infiniband-diags, perftest]\n  update_cache: true\n  cache_valid_time: 3600',
    returns: {
      cache_updated: 'Whether the package indexes were updated.',
      packages: 'What apt did (or would do): install, upgrade, downgrade, remove — each a list of {name, from, to}.',
      stdout: "apt-get's output.",
      stderr: "apt-get's error output.",
    },
  },
  schema,
  async read(ctx, args) {
    const specs = packageNames(args.name ?? args.pkg);
    const query = [...new Set(specs.map(baseName))];
    const probe = [
      'export LC_ALL=C',
      "echo '@@audit'; dpkg --audit 2>&1",
      "echo '@@updates'; ls -A /var/lib/dpkg/updates 2>/dev/null | head -1",
      "echo '@@lists'; stat -c %Y /var/lib/apt/lists/*_Packages* /var/lib/apt/lists/*_InRelease /var/lib/apt/lists/*_Release 2>/dev/null | sort -n | tail -1",
      "echo '@@now'; date +%s",
      `echo '@@query'; ${query.length ? `dpkg-query -W -f=${shQuote(DPKG_QUERY_FORMAT)} ${specWords(query)} 2>/dev/null` : 'true'}`,
      args.deb ? `echo '@@deb'; dpkg-deb -f ${shQuote(args.deb)} Package Version 2>&1` : '',
      "echo '@@end'",
    ].join('\n');
    const r = await ctx.run(probe);
    const s = splitSections(r.stdout);
    const installed = Object.fromEntries(parseDpkgQuery(s.get('query') ?? ''));
    let deb: { name: string; version: string } | undefined;
    if (args.deb) {
      const fields = s.get('deb') ?? '';
      const name = fields.match(/^Package: (\S+)/m)?.[1];
      const version = fields.match(/^Version: (\S+)/m)?.[1];
      if (!name || !version) throw new Error(`deb ${args.deb}: not a readable .deb file (${fields.split('\n')[0] || 'no output'})`);
      deb = { name, version };
      const extra = await ctx.run(`dpkg-query -W -f=${shQuote(DPKG_QUERY_FORMAT)} ${shQuote(name)} 2>/dev/null`);
      Object.assign(installed, Object.fromEntries(parseDpkgQuery(extra.stdout)));
    }
    const listsTime = Number(s.get('lists') || 0);
    const age = listsTime > 0 ? Number(s.get('now')) - listsTime : Infinity;
    const wantUpdate = Boolean(args.update_cache) || args.cache_valid_time !== undefined;
    const needUpdate = wantUpdate && (!args.cache_valid_time || age > args.cache_valid_time);
    const base: AptCurrent = {
      audit: parseDpkgAudit(s.get('audit') ?? ''),
      interrupted: Boolean(s.get('updates')),
      installed,
      needUpdate,
      tx: emptyTransaction(),
      ...aptTargets(args, installed, deb),
    };
    if (base.verb === 'none' || base.audit.length || base.interrupted) return base;
    const sim = [
      'export LC_ALL=C',
      needUpdate ? TEMP_LISTS : 'L=; O=',
      `apt-get -s -q $O ${aptOptions(args, base.verb).join(' ')} ${base.verb} ${specWords(base.specs)}`,
      'rc=$?; [ -n "$L" ] && rm -rf "$L" "$L.out"; exit $rc',
    ].join('\n');
    const out = await ctx.run(sim);
    if (out.rc !== 0) {
      const msg = aptErrorMessage(out.stderr, out.stdout);
      // A host whose indexes were never downloaded knows no package at all.
      const hint = listsTime === 0 && !needUpdate && /^No package matching/.test(msg) ? ' (the package cache is empty: set update_cache: true)' : '';
      return { ...base, error: msg + hint };
    }
    return { ...base, tx: parseAptSimulation(out.stdout), heldChanged: parseHeldChanges(out.stdout) };
  },
  plan(args, cur) {
    if (cur.interrupted || cur.audit.length) {
      const what = cur.audit.length ? `dpkg reports ${cur.audit.join(', ')} as not fully installed (half-configured or unpacked)` : 'dpkg was interrupted';
      return { changes: [], failed: `${what}: run 'dpkg --configure -a' on the host and fix what it reports before installing packages` };
    }
    if (cur.error) return { changes: [], failed: cur.error };
    if (cur.heldChanged?.length) {
      return { changes: [], failed: `${cur.heldChanged.join(', ')} ${cur.heldChanged.length > 1 ? 'are' : 'is'} held (apt-mark hold / dpkg_selections) and the task would change ${cur.heldChanged.length > 1 ? 'them' : 'it'}: release the hold first` };
    }
    if (cur.tx.downgrade.length && !args.allow_downgrade) {
      return { changes: [], failed: `would downgrade ${cur.tx.downgrade.map((c) => `${c.name} (${c.from} → ${c.to})`).join(', ')}: set allow_downgrade: true to allow it` };
    }
    const result = { cache_updated: false, packages: cur.tx };
    const acts = !isEmptyTransaction(cur.tx);
    if (!acts && !cur.needUpdate) {
      const specs = packageNames(args.name ?? args.pkg);
      const what = packageState(args.state) === 'absent' ? 'absent' : 'installed';
      return { changes: [], reason: specs.length ? `${specs.join(', ')} already ${what}` : 'nothing to do', result };
    }
    const change: Change = {
      update: cur.needUpdate,
      verb: acts ? cur.verb : 'none',
      specs: acts ? cur.specs : [],
      options: acts ? aptOptions(args, cur.verb) : [],
      lockTimeout: args.lock_timeout ?? 60,
    };
    const summary = acts ? describeTransaction(cur.tx) : '';
    return {
      changes: [change],
      diff: acts ? [{ kind: 'fields', label: 'packages', fields: transactionFields(cur.tx) }] : [],
      reason: [cur.needUpdate ? 'update the package cache' : '', summary].filter(Boolean).join('; '),
      result: { ...result, cache_updated: cur.needUpdate },
    };
  },
  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    const lock = `-o DPkg::Lock::Timeout=${c.lockTimeout}`;
    const script = [
      'export DEBIAN_FRONTEND=noninteractive LC_ALL=C',
      c.update ? `apt-get -q ${lock} update || exit $?` : '',
      c.verb !== 'none' ? `apt-get -y -q ${lock} -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ${c.options.join(' ')} ${c.verb} ${specWords(c.specs)}` : '',
    ].filter(Boolean).join('\n');
    const r = await ctx.run(script);
    const result = { ...plan.result, stdout: r.stdout, stderr: r.stderr, rc: r.rc };
    if (r.rc !== 0) {
      let msg = aptErrorMessage(r.stderr, r.stdout);
      if (/dpkg lock|frontend lock|Could not get lock/.test(msg)) msg += ` (waited ${c.lockTimeout} s: lock_timeout)`;
      const failure = dpkgFailure(`${r.stdout}\n${r.stderr}`);
      if (failure) msg = `${failure}; ${msg}`;
      return { failed: msg, result };
    }
    // Only the indexes were refreshed: nothing on the host a task can observe changed.
    return { result, ...(c.verb === 'none' ? { changed: false } : {}) };
  },
  verify(_args, after) {
    return isEmptyTransaction(after.tx) && !after.error ? [] : [`still to do: ${describeTransaction(after.tx) || after.error}`];
  },
};
