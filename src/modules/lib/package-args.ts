// Argument handling the package modules share: names as a list or a comma-separated string (Ansible
// accepts both), Ansible's state synonyms, and the shell text of one remote command.
import { shQuote } from '../../engine/connection/quote.js';

export type PackageState = 'present' | 'absent' | 'latest';

export function packageNames(name: string | string[] | undefined): string[] {
  const list = name === undefined ? [] : Array.isArray(name) ? name : [name];
  return list.flatMap((n) => n.split(',')).map((n) => n.trim()).filter(Boolean);
}

export function packageState(state: string | undefined): PackageState {
  if (state === 'installed' || state === undefined) return 'present';
  if (state === 'removed') return 'absent';
  return state as PackageState;
}

/** A package spec goes on the command line quoted; one starting with '-' would be read as an option. */
export function specWords(specs: readonly string[]): string {
  for (const s of specs) if (s.startsWith('-')) throw new Error(`'${s}' is not a package name`);
  return specs.map(shQuote).join(' ');
}
