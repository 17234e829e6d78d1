// Errors are values with a place: every layer reports problems as Diagnostics carrying the
// file:line:col of what is wrong, and the CLI turns them into one message per line and an exit code.
import { maskSecretLine } from './secret-names.js';

/** A position in a source file; line and col are 1-based, as editors show them. */
export interface Loc {
  file: string;
  line: number;
  col: number;
}

export interface Diagnostic {
  loc?: Loc;
  message: string;
  /** e.g. "did you mean 'lineinfile'?" */
  hint?: string;
  severity?: 'error' | 'warning';
  /** The offending source line with a caret under the column (YAML syntax errors). */
  excerpt?: string;
}

export const ExitCode = {
  ok: 0,
  internal: 1,
  hostFailed: 2,
  invalidInput: 3,
  unreachable: 4,
  badOptions: 5,
  interrupted: 99,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function formatLoc(loc: Loc | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : '';
}

/** `  3 |     - debug: {msg: [1, 2}` and a caret under `col` on the next line (tabs kept, so it lines up). */
export function sourceExcerpt(text: string, line: number, col: number): string | undefined {
  const raw = text.split(/\r?\n/)[line - 1];
  if (raw === undefined) return undefined;
  // The run's secrets are not known yet when a file fails to parse: mask by name.
  const src = maskSecretLine(raw);
  const gutter = `${line} | `;
  const pad = src.slice(0, Math.max(0, col - 1)).replace(/[^\t]/g, ' ');
  return `  ${gutter}${src}\n  ${' '.repeat(gutter.length)}${pad}^`;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.loc ? `${formatLoc(d.loc)}: ` : '';
  const sev = d.severity === 'warning' ? 'warning: ' : '';
  return `${where}${sev}${d.message}${d.hint ? ` (${d.hint})` : ''}${d.excerpt ? `\n${d.excerpt}` : ''}`;
}

/**
 * Invalid playbook / inventory / template / vars: nothing was touched. Carries all problems found,
 * not just the first. The CLI prints each and exits 3.
 */
export class InvalidInputError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[] | Diagnostic) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map(formatDiagnostic).join('\n'));
    this.name = 'InvalidInputError';
    this.diagnostics = list;
  }
}

/** A template failed to render (undefined variable, syntax error, bad filter argument). */
export class TemplateError extends InvalidInputError {
  /** Variable names (top level) that were undefined, when that is the cause. */
  readonly undefinedVars: string[];
  constructor(diagnostic: Diagnostic, undefinedVars: string[] = []) {
    super(diagnostic);
    this.name = 'TemplateError';
    this.undefinedVars = undefinedVars;
  }
}

/** The host could not be reached or the connection died: the host drops out of the play. */
export class UnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnreachableError';
  }
}

/** Bad command-line usage (exit 5). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Levenshtein-based suggestion used for "did you mean" hints on keys and module names. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return best !== undefined && bestDist <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
