// Parsers for what dnf and rpm print: the transaction table of `dnf --assumeno`, `rpm -q` lines,
// and dnf's errors (no match, GPG failures).
import { emptyTransaction, type PackageChange, type Transaction } from './package-tx.js';

/** Query format of the dnf module's status probe: name and epoch:version-release. */
export const RPM_QUERY_FORMAT = '%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n';

/** `rpm -q --qf RPM_QUERY_FORMAT` → name → installed versions (several for kernels). */
export function parseRpmQuery(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const [name, evr] = line.split('\t');
    if (!name || !evr) continue;
    out.set(name, [...(out.get(name) ?? []), evr.replace(/^0:/, '')]);
  }
  return out;
}

const SECTION: Record<string, keyof Transaction | 'skip'> = {
  Installing: 'install',
  'Installing dependencies': 'install',
  'Installing weak dependencies': 'install',
  'Installing group/module packages': 'install',
  Reinstalling: 'skip',
  Upgrading: 'upgrade',
  Downgrading: 'downgrade',
  Removing: 'remove',
  'Removing dependent packages': 'remove',
  'Removing unused dependencies': 'remove',
  Erasing: 'remove',
  Obsoleting: 'skip',
};

/**
 * The table dnf prints before "Operation aborted." (or before running): section headers such as
 * "Installing:" then rows ` name arch version repo size`; a long name wraps its columns to the next line.
 * Upgrades and downgrades list only the new version; `installed` supplies the old one.
 */
export function parseDnfTransaction(stdout: string, installed: Map<string, string[]> = new Map()): Transaction {
  const t = emptyTransaction();
  let section: keyof Transaction | 'skip' | undefined;
  let pending: string | undefined;
  for (const line of stdout.split('\n')) {
    const header = line.match(/^([A-Z][A-Za-z /]+):$/);
    if (header) {
      section = SECTION[header[1]!];
      pending = undefined;
      continue;
    }
    if (/^(Transaction Summary|=+$)/.test(line) || line.trim() === '') {
      if (/^Transaction Summary/.test(line)) section = undefined;
      continue;
    }
    if (!section || !line.startsWith(' ')) continue;
    const cols = line.trim().split(/\s+/);
    if (cols.length === 1 && pending === undefined) {
      pending = cols[0];
      continue;
    }
    const row = pending !== undefined ? [pending, ...cols] : cols;
    pending = undefined;
    if (section === 'skip' || row.length < 4) continue;
    const [name, , version] = row as [string, string, string];
    const old = installed.get(name)?.[0];
    const change: PackageChange = section === 'remove' ? { name, from: version } : { name, to: version, ...(old && section !== 'install' ? { from: old } : {}) };
    t[section].push(change);
  }
  return t;
}

/** dnf's failure as one message: unmatched names together, GPG and metadata errors as dnf says them. */
export function dnfErrorMessage(stderr: string, stdout = ''): string {
  const text = `${stdout}\n${stderr}`;
  const excluded = [...text.matchAll(/filtered out by exclude filtering for argument: (.+)$/gm)].map((m) => m[1]!.trim());
  if (excluded.length) return `${[...new Set(excluded)].join(', ')}: every version is excluded (held) by dnf's configuration (excludepkgs / exclude); release the hold first`;
  const missing = [...text.matchAll(/^No match for argument: (.+)$/gm)].map((m) => m[1]!.trim());
  if (missing.length) return `No package matching '${[...new Set(missing)].join("', '")}' is available`;
  const errors = text.replace(/\r/g, '').split('\n').filter((l) => /^Error:|GPG|signature/i.test(l) && !/^(Importing GPG key|\s*(From|Userid|Fingerprint)\s*:)/.test(l)).map((l) => l.replace(/^Error:\s*/, '').trim()).filter(Boolean);
  return [...new Set(errors)].join('; ') || text.trim().split('\n').slice(-3).join('; ');
}
