// mofed_install `hold: true`: the installed OFED packages and the running kernel's packages held by
// the package manager, so an unattended upgrade neither replaces the driver nor boots a kernel the
// modules were not built for (what Azure's HPC images do after installing DOCA). apt: `apt-mark
// hold`; dnf: names in dnf.conf's [main] excludepkgs, edited with package_hold's own library. Only
// installed packages are held (apt-mark refuses unknown names); the module lifts its own holds
// around an install or upgrade and puts them back after, so a held stack can still be moved on
// by mofed_install itself.
import type { HostContext, Plan } from '../../engine/contract/module.js';
import { DNF_CONF, dnfExcludes, withExcludes } from '../package-hold.js';
import { specWords } from './package-args.js';

// OFED's packages by name (DOCA profiles, doca-host, mlnx-ofed-kernel-*, MLNX_OFED's own), and the
// running kernel's image, modules and headers with the meta-packages that would pull a newer one.
const OFED_PATTERNS = "'doca-*' 'mlnx-*' 'ofed-scripts' 'kmod-mlnx-*'";
export const HOLD_FACTS_COMMAND = [
  'k=$(uname -r)',
  'if command -v dnf >/dev/null 2>&1 || command -v yum >/dev/null 2>&1; then',
  `  rpm -qa --qf '%{NAME}\\n' ${OFED_PATTERNS} 2>/dev/null | sed 's/^/hold_cand=/';`,
  '  for p in kernel kernel-core kernel-modules kernel-devel; do rpm -q "$p" >/dev/null 2>&1 && echo "hold_cand=$p"; done; true;',
  'elif command -v dpkg-query >/dev/null 2>&1; then',
  `  dpkg-query -W -f='\${db:Status-Abbrev} \${Package}\\n' ${OFED_PATTERNS} "linux-image-$k" "linux-modules-$k" "linux-headers-$k" linux-azure linux-image-azure linux-headers-azure 2>/dev/null | awk '$1 ~ /^[ih]i/ {print "hold_cand=" $2}';`,
  '  LC_ALL=C apt-mark showhold 2>/dev/null | sed "s/^/hold_held=/"; true;',
  'fi',
].join('\n');

export interface HoldFacts {
  pm: 'apt' | 'dnf';
  /** Installed packages that hold: true keeps at their version. */
  candidates: string[];
  held: string[];
  /** dnf: /etc/dnf/dnf.conf as it is (undefined when absent). */
  dnfConf?: string;
}

export async function readHolds(ctx: HostContext, pm: 'apt' | 'dnf' | 'yum'): Promise<HoldFacts> {
  const out = (await ctx.run(HOLD_FACTS_COMMAND)).stdout;
  const pick = (key: string) => [...new Set(out.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1).trim()).filter(Boolean))];
  if (pm === 'apt') return { pm: 'apt', candidates: pick('hold_cand'), held: pick('hold_held') };
  const conf = await ctx.readFile(DNF_CONF);
  const text = conf ? conf.data.toString('utf8') : undefined;
  return { pm: 'dnf', candidates: pick('hold_cand'), held: dnfExcludes(text ?? ''), dnfConf: text };
}

/** What hold: true still has to hold (pure). */
export const holdTodo = (h: HoldFacts) => h.candidates.filter((n) => !h.held.includes(n));

/** Holds (or releases) `names` on the host; an error message, or undefined. */
export async function setHolds(ctx: HostContext, h: HoldFacts, names: readonly string[], hold: boolean): Promise<string | undefined> {
  if (names.length === 0) return undefined;
  if (h.pm === 'apt') {
    const r = await ctx.run(`LC_ALL=C apt-mark ${hold ? 'hold' : 'unhold'} ${specWords([...names])}`);
    return r.rc === 0 ? undefined : `apt-mark ${hold ? 'hold' : 'unhold'} failed: ${(r.stderr || r.stdout).trim()}`;
  }
  const before = h.dnfConf ?? '[main]\n';
  const after = withExcludes(before, names, hold);
  if (after !== before) await ctx.writeFile(DNF_CONF, after, { mode: 0o644 });
  h.dnfConf = after;
  return undefined;
}

/** hold: true — what the holds are now (re-read after an install, which adds packages). */
export interface HoldStep {
  kind: 'hold';
  facts: HoldFacts;
}
export const isHold = (c: unknown): c is HoldStep => (c as HoldStep).kind === 'hold';

/** Adds the hold to a Linux plan: after its install, or alone when only the holds are missing. */
export function withHold<T>(plan: Plan<T>, holds: HoldFacts | undefined): Plan<T | HoldStep> {
  if (!holds || plan.failed) return plan;
  const how = holds.pm === 'apt' ? 'apt-mark hold' : 'dnf.conf excludepkgs';
  if (plan.changes.length) return { ...plan, changes: [...plan.changes, { kind: 'hold', facts: holds }], reason: `${plan.reason}, then hold the OFED packages and the running kernel (${how})` };
  const todo = holdTodo(holds);
  const result = { ...plan.result, held: holds.candidates };
  if (!todo.length) return { ...plan, result, reason: `${plan.reason}; ${holds.candidates.length ? `held: ${holds.candidates.join(', ')}` : 'no OFED or kernel package to hold'}` };
  return {
    ...plan,
    result,
    changes: [{ kind: 'hold', facts: holds }],
    reason: `${plan.reason}; hold ${todo.join(', ')} (${how})`,
    diff: [...(plan.diff ?? []), { kind: 'fields', label: how, fields: todo.map((n) => ({ key: n, before: 'not held', after: 'held' })) }],
  };
}
