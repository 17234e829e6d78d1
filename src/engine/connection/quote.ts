// Quoting for the two shells fleetplay speaks. Every value that reaches a command line goes through
// one of these, so metacharacters arrive literally.

/** POSIX sh single-quoting: safe for any byte string except NUL. */
export function shQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Joins argv into one POSIX command line. */
export function shJoin(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}

/** PowerShell single-quoted string literal (no expansion inside; ' doubled, and the typographic quotes PowerShell also treats as quotes). */
export function psQuote(s: string): string {
  return `'${s.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`;
}
