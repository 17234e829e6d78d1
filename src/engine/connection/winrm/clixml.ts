// PowerShell writes its error, warning and progress streams to stderr as CLIXML (`#< CLIXML` then
// serialized objects) when its output is redirected. Users need the messages, not the XML: keep the
// error and warning strings, drop progress records, and undo the `_xHHHH_` escapes PowerShell uses
// for characters XML cannot hold (CR, LF, ...).

const MARKER = '#< CLIXML';

export interface ClixmlStreams {
  errors: string;
  warnings: string;
  /** Other stderr text outside the CLIXML documents (e.g. a native command's own output). */
  other: string;
}

export function isClixml(stderr: string): boolean {
  return stderr.includes(MARKER);
}

/** Splits stderr into readable error text, warnings and plain text. */
export function decodeClixml(stderr: string): ClixmlStreams {
  if (!isClixml(stderr)) return { errors: '', warnings: '', other: stderr };
  const errors: string[] = [];
  const warnings: string[] = [];
  const other: string[] = [];
  let rest = stderr.replace(/#< CLIXML\r?\n?/g, '');
  // Text outside <Objs> documents is passed through untouched.
  rest = rest.replace(/<Objs\b[\s\S]*?<\/Objs>/g, (doc) => {
    for (const m of doc.matchAll(/<S S="([^"]*)">([\s\S]*?)<\/S>/g)) {
      const value = unescapePs(unescapeXml(m[2]!));
      const stream = m[1]!.toLowerCase();
      if (stream === 'error') errors.push(value);
      else if (stream === 'warning') warnings.push(value);
    }
    return '\n';
  });
  if (rest.trim()) other.push(rest.trim());
  return { errors: tidy(errors.join('')), warnings: tidy(warnings.join('\n')), other: other.join('\n') };
}

/** The stderr a user should see: errors, then warnings prefixed as PowerShell prints them. */
export function clixmlToText(stderr: string): string {
  if (!isClixml(stderr)) return stderr;
  const s = decodeClixml(stderr);
  const parts = [s.other, s.errors, s.warnings && s.warnings.split('\n').map((w) => `WARNING: ${w}`).join('\n')];
  return parts.filter(Boolean).join('\n');
}

/** `_x000D__x000A_` → CRLF; `_x005F_` escapes a literal underscore sequence. */
export function unescapePs(s: string): string {
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e]!;
  });
}

function tidy(s: string): string {
  return s.replace(/\r\n/g, '\n').replace(/\s+$/, '');
}
