// The lineinfile algorithm, pure, with Ansible's exact semantics: the LAST line matching regexp (or
// search_string) is replaced; without a match the line is inserted after/before the LAST line
// matching insertafter/insertbefore (first with firstmatch), else appended; an existing identical
// line is left alone; backrefs never inserts; state=absent removes every matching line.
// Content is a "byte string" (see py-regex.ts) so non-UTF-8 files survive untouched.
import { compilePyRegex, expandTemplate, toBytes } from './py-regex.js';

export interface LineSpec {
  state: 'present' | 'absent';
  regexp?: string;
  searchString?: string;
  line?: string;
  insertafter?: string;
  insertbefore?: string;
  backrefs?: boolean;
  firstmatch?: boolean;
  create?: boolean;
  /** For messages only. */
  path: string;
}

export interface LineEditResult {
  /** New content (byte string); equal to the input when nothing changed. */
  content: string;
  changed: boolean;
  msg: string;
  failed?: string;
  /** state=absent: how many lines were removed. */
  found?: number;
  /** The file did not exist before (and create made it). */
  created?: boolean;
}

const NL = '\n';
const stripEol = (l: string) => l.replace(/[\r\n]+$/, '');
/** Python's re.search on a readlines() line: `$` also matches before the final newline. */
const subject = (l: string) => (l.endsWith(NL) ? l.slice(0, -1) : l);

export function splitKeepEnds(content: string): string[] {
  return content === '' ? [] : content.split(/(?<=\n)/);
}

export function editLines(content: string | null, spec: LineSpec): LineEditResult {
  try {
    return spec.state === 'absent' ? absent(content, spec) : present(content, spec);
  } catch (e) {
    return { content: content ?? '', changed: false, msg: '', failed: (e as Error).message };
  }
}

function present(content: string | null, spec: LineSpec): LineEditResult {
  if (spec.line === undefined) return fail(content, 'line is required with state=present');
  if (spec.backrefs && spec.regexp === undefined) return fail(content, 'regexp is required with backrefs=true');
  if (content === null && !spec.create) return fail(content, `Destination ${spec.path} does not exist !`);
  const lines = splitKeepEnds(content ?? '');
  const line = toBytes(spec.line);
  const { insertafter, insertbefore } = spec;
  const re = spec.regexp !== undefined ? compilePyRegex(spec.regexp) : undefined;
  const search = spec.searchString !== undefined ? toBytes(spec.searchString) : undefined;
  let reIns: RegExp | undefined;
  if (insertafter !== undefined && insertafter !== 'BOF' && insertafter !== 'EOF') reIns = compilePyRegex(insertafter);
  else if (insertbefore !== undefined && insertbefore !== 'BOF') reIns = compilePyRegex(insertbefore);

  let found = -1; // index of the line to replace
  let insertAt = -1; // index where an insert goes
  let match: RegExpExecArray | undefined;
  let matched = false;

  if (re) {
    for (let i = 0; i < lines.length; i++) {
      const m = re.exec(subject(lines[i]!));
      if (m) {
        found = i;
        match = m;
        matched = true;
        if (spec.firstmatch) break;
      }
    }
  }
  if (search !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.includes(search)) {
        found = i;
        matched = true;
        if (spec.firstmatch) break;
      }
    }
  }
  if (!matched) {
    for (let i = 0; i < lines.length; i++) {
      if (stripEol(lines[i]!) === line) {
        found = i;
      } else if (reIns && reIns.exec(subject(lines[i]!))) {
        insertAt = insertafter !== undefined ? i + 1 : i;
        if (spec.firstmatch) break;
      }
    }
  }

  const done = (msg: string): LineEditResult => ({ content: lines.join(''), changed: true, msg, created: content === null });
  const same = (): LineEditResult => ({ content: lines.join(''), changed: false, msg: '', created: content === null });
  const endWithNewline = () => {
    const last = lines[lines.length - 1];
    if (last !== undefined && !/[\r\n]$/.test(last)) lines[lines.length - 1] = last + NL;
  };

  if (found !== -1) {
    let newLine = spec.backrefs && match ? expandTemplate(spec.line, match) : line;
    if (!newLine.endsWith(NL)) newLine += NL;
    if (lines[found] !== newLine) {
      lines[found] = newLine;
      return done('line replaced');
    }
    return same();
  }
  if (spec.backrefs) {
    // Without a match there is nothing to fill the backreferences from: do nothing, as Ansible.
    return same();
  }
  if (insertbefore === 'BOF' || insertafter === 'BOF') {
    lines.unshift(line + NL);
    return done('line added');
  }
  if (insertafter === 'EOF' || insertAt === -1) {
    endWithNewline();
    lines.push(line + NL);
    return done('line added');
  }
  if (insertafter !== undefined) {
    if (insertAt === lines.length) {
      if (stripEol(lines[insertAt - 1]!) !== line) {
        // Ansible does not add a missing final newline here (it does for EOF): kept for parity.
        lines.push(line + NL);
        return done('line added');
      }
      return same();
    }
    if (stripEol(lines[insertAt]!) !== line) {
      lines.splice(insertAt, 0, line + NL);
      return done('line added');
    }
    return same();
  }
  lines.splice(insertAt, 0, line + NL);
  return done('line added');
}

function absent(content: string | null, spec: LineSpec): LineEditResult {
  if (spec.regexp === undefined && spec.searchString === undefined && spec.line === undefined) {
    return fail(content, 'one of line, search_string, or regexp is required with state=absent');
  }
  if (content === null) return { content: '', changed: false, msg: 'file not present', found: 0 };
  const re = spec.regexp !== undefined ? compilePyRegex(spec.regexp) : undefined;
  const search = spec.searchString !== undefined ? toBytes(spec.searchString) : undefined;
  const line = spec.line !== undefined ? toBytes(spec.line) : undefined;
  const kept: string[] = [];
  let found = 0;
  for (const l of splitKeepEnds(content)) {
    const hit = re ? re.test(subject(l)) : search !== undefined ? l.includes(search) : stripEol(l) === line;
    if (hit) found++;
    else kept.push(l);
  }
  return {
    content: kept.join(''),
    changed: found > 0,
    msg: found > 0 ? `${found} line(s) removed` : '',
    found,
  };
}

function fail(content: string | null, message: string): LineEditResult {
  return { content: content ?? '', changed: false, msg: '', failed: message };
}
