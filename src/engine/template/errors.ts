// Failures inside a template carry a position relative to the template text; the engine turns them
// into TemplateErrors located in the playbook (or template file) with the diagnostics contract.
import { TemplateError, type Loc } from '../contract/diagnostics.js';

export class TemplateFailure extends Error {
  constructor(
    message: string,
    /** 1-based line and column inside the template text, when known. */
    readonly line?: number,
    readonly col?: number,
    readonly hint?: string,
    readonly undefinedVars: string[] = [],
  ) {
    super(message);
    this.name = 'TemplateFailure';
  }
}

/** A failure whose message is complete as it is (`mandatory`'s own text): not prefixed with the filter's name. */
export class PlainFailure extends Error {}

/** Where a template's text sits: in a YAML string at `loc`, or a whole file. */
export interface Site {
  loc: Loc;
  /** `string`: a value inside YAML (positions shift from the string's start); `file`: a template file. */
  kind: 'string' | 'file';
  /** Characters the engine added before the user's text (evaluate wraps the expression in `{{ `). */
  prefix?: number;
}

/** Maps a template-relative position onto the source file. */
export function locate(site: Site, line: number | undefined, col: number | undefined): { loc: Loc; note: string } {
  if (line === undefined || col === undefined) return { loc: site.loc, note: '' };
  if (site.kind === 'file') return { loc: { file: site.loc.file, line, col }, note: '' };
  const c = line === 1 ? Math.max(1, col - (site.prefix ?? 0)) : col;
  // A YAML string's later lines start at an indentation (and after a `|` header) we cannot see
  // from here, so only first-line positions are shifted; others are named in the message.
  if (line === 1) return { loc: { ...site.loc, col: site.loc.col + c - 1 }, note: '' };
  return { loc: site.loc, note: ` (template line ${line}, col ${c})` };
}

export function toTemplateError(err: unknown, site: Site, context = ''): TemplateError {
  if (err instanceof TemplateError) return err;
  if (err instanceof TemplateFailure) {
    const { loc, note } = locate(site, err.line, err.col);
    return new TemplateError({ loc, message: `${err.message}${note}${context}`, ...(err.hint ? { hint: err.hint } : {}) }, err.undefinedVars);
  }
  const nj = err as { lineno?: number; colno?: number; message?: string };
  if (err instanceof Error && typeof nj.lineno === 'number') {
    const { loc, note } = locate(site, nj.lineno, nj.colno);
    let msg = polishParserMessage(err.message);
    // In a bare expression the closing '}}' is ours, not the user's.
    if (site.prefix) {
      msg = msg
        .replace(/^unexpected token: '?\}\}'?$/, 'unexpected end of the expression')
        .replace(/got '\}\}'/, 'reached the end of the expression')
        .replace(/^expected '\}\}'$/, 'expected the end of the expression here');
    }
    return new TemplateError({ loc, message: `template error: ${msg}${note}${context}` });
  }
  const msg = stackOverflowInWords(err instanceof Error ? err.message : String(err));
  return new TemplateError({ loc: site.loc, message: `template error: ${msg}${context}` });
}

const TOKEN_NAMES: Record<string, string> = {
  'variable-end': "'}}'",
  'variable-start': "'{{'",
  'block-end': "'%}'",
  'block-start': "'{%'",
  'right-paren': "')'",
  'left-paren': "'('",
  'right-bracket': "']'",
  'right-curly': "'}'",
  comma: "','",
  colon: "':'",
  symbol: 'a name',
  string: 'a string',
};

/** nunjucks' parser speaks of token types and its own function names; say it in template terms. */
export function polishParserMessage(m: string): string {
  let out = m.replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/, '').replace(/^Template render error:\s*/, '');
  out = out.replace(/^parse(If|For|Set|Macro|Call|Raw|Filter|Switch): /, (_m, tag: string) => `in {% ${tag.toLowerCase()} %}: `);
  out = out.replace(/^parse\w*: /, '').replace(/^compile\w*: /, '').replace(/got end of file/, 'reached the end of the template').replace(/unexpected end of file/, 'unexpected end of the template');
  out = out.replace(/expected variable end/, "expected '}}'").replace(/expected block end in (\w+) statement/, "expected '%}' to end the $1 tag");
  out = out.replace(/\b(expected|got) ([a-z-]+)\b/g, (all, word: string, tok: string) => (TOKEN_NAMES[tok] ? `${word} ${TOKEN_NAMES[tok]}` : all));
  return stackOverflowInWords(out.trim());
}

/** Parsing and rendering recurse per nesting level: a stack overflow means the template nests too deeply. */
function stackOverflowInWords(m: string): string {
  return m.replace(/^(RangeError: )?Maximum call stack size exceeded$/, 'the template is nested too deeply');
}
