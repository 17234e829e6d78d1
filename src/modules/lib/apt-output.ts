// Parsers for what apt and dpkg print: `apt-get -s` simulations, `dpkg-query -W` status lines,
// `dpkg --audit`, and apt's error lines (missing packages, versions, the dpkg lock).
import { emptyTransaction, type Transaction } from './package-tx.js';

/** Query format of the apt module's status probe: name, status abbreviation, version. */
export const DPKG_QUERY_FORMAT = '${Package}\\t${db:Status-Abbrev}\\t${Version}\\n';

export interface DpkgEntry {
  /** e.g. `ii` (installed), `rc` (removed, config left), `iF` (half-configured), `iU` (unpacked). */
  status: string;
  version: string;
}

export function parseDpkgQuery(stdout: string): Map<string, DpkgEntry> {
  const out = new Map<string, DpkgEntry>();
  for (const line of stdout.split('\n')) {
    const [name, status, version] = line.split('\t');
    if (name && status !== undefined && version !== undefined) out.set(name.replace(/:[a-z0-9]+$/, ''), { status: status.trim(), version });
  }
  return out;
}

/** Installed in dpkg's sense: unpacked and configured (`ii`, or `hi` when held). */
export const dpkgInstalled = (e: DpkgEntry | undefined) => e !== undefined && /^[uih]i/.test(e.status);

/**
 * `apt-get -s` lines: `Inst NAME [OLD] (NEW suite [arch])`, `Remv NAME [OLD]`. An Inst with an old
 * version is an upgrade unless apt listed the package under "will be DOWNGRADED".
 */
export function parseAptSimulation(stdout: string): Transaction {
  const t = emptyTransaction();
  const downgraded = new Set<string>();
  const lines = stdout.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^The following packages will be DOWNGRADED:/.test(lines[i]!)) continue;
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith('  '); j++) for (const n of lines[j]!.trim().split(/\s+/)) downgraded.add(n);
  }
  for (const line of lines) {
    const inst = line.match(/^Inst (\S+) (?:\[([^\]]+)\] )?\((\S+)/);
    if (inst) {
      const [, name, from, to] = inst as unknown as [string, string, string | undefined, string];
      if (!from) t.install.push({ name, to });
      else (downgraded.has(name) ? t.downgrade : t.upgrade).push({ name, from, to });
      continue;
    }
    const remv = line.match(/^Remv (\S+)(?: \[([^\]]+)\])?/);
    if (remv) t.remove.push({ name: remv[1]!, ...(remv[2] ? { from: remv[2] } : {}) });
  }
  return t;
}

/** Package names `dpkg --audit` reports as broken (half-configured, unpacked, triggers pending). */
export function parseDpkgAudit(stdout: string): string[] {
  const names: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = line.match(/^ (\S+)\s/);
    if (m && !names.includes(m[1]!)) names.push(m[1]!);
  }
  return names;
}

/** apt's own error lines (`E: …`), made into one message; missing packages named together. */
export function aptErrorMessage(stderr: string, stdout = ''): string {
  const errors = `${stdout}\n${stderr}`.split('\n').filter((l) => l.startsWith('E: ')).map((l) => l.slice(3).trim());
  const missing = errors.map((e) => e.match(/^Unable to locate package (.+)$/)?.[1]).filter((n): n is string => Boolean(n));
  if (missing.length) return `No package matching '${missing.join("', '")}' is available`;
  const lock = errors.find((e) => /Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock/.test(e));
  if (lock) {
    // While waiting, apt reports the holder on stdout ("Waiting for cache lock: … held by process N (name)").
    const holder = [...`${stdout}\n${stderr}`.matchAll(/Could not get lock (\S+?)\.? It is held by process (\d+) \(([^)]*)\)/g)].pop();
    if (holder) return `Could not get the dpkg lock ${holder[1]}: it is held by process ${holder[2]} (${holder[3]})`;
    return lock;
  }
  if (errors.some((e) => /dpkg was interrupted/.test(e))) return "dpkg was interrupted: run 'dpkg --configure -a' on the host to finish the interrupted installation first";
  return errors.join('; ') || stderr.trim().split('\n').slice(-3).join('; ');
}

/** dpkg's own account of a failed maintainer script: "pkg: <why> (dpkg left it half-configured)". */
export function dpkgFailure(output: string): string | undefined {
  const lines = output.replace(/\r/g, '').split('\n');
  const i = lines.findIndex((l) => l.startsWith('dpkg: error processing package'));
  if (i < 0) return undefined;
  const name = lines[i]!.match(/package (\S+)/)?.[1] ?? 'a package';
  const why = lines[i + 1]?.trim();
  return `${name}: ${why || lines[i]!.trim()} (dpkg left it half-configured)`;
}

/** Held packages apt says the command would change ("The following held packages will be changed:"). */
export function parseHeldChanges(stdout: string): string[] {
  const lines = stdout.split('\n');
  const i = lines.findIndex((l) => l.startsWith('The following held packages will be changed:'));
  if (i < 0) return [];
  const out: string[] = [];
  for (let j = i + 1; j < lines.length && lines[j]!.startsWith('  '); j++) out.push(...lines[j]!.trim().split(/\s+/));
  return out;
}
