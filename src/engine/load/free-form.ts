// Ansible's string arguments: `copy: src=a dest="/b c"` (k=v pairs) and free-form modules such as
// `command: ls -l creates=/x`, where only the module's own keys are split out and the rest of the
// string, quotes and all, is the command. Jinja blocks and quoted parts are never split.

interface Word {
  text: string;
  start: number;
  end: number;
}

/** Splits on whitespace outside quotes and `{{ }}`/`{% %}`/`{# #}`; undefined when unbalanced. */
export function splitWords(text: string): Word[] | undefined {
  const words: Word[] = [];
  let start = -1;
  let quote: string | undefined;
  let jinja: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const pair = text.slice(i, i + 2);
    if (start < 0 && !/\s/.test(c)) start = i;
    if (jinja) {
      if (pair === jinja) {
        jinja = undefined;
        i++;
      }
      continue;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (pair === '{{' || pair === '{%' || pair === '{#') {
      jinja = pair === '{{' ? '}}' : pair === '{%' ? '%}' : '#}';
      i++;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (/\s/.test(c) && start >= 0) {
      words.push({ text: text.slice(start, i), start, end: i });
      start = -1;
    }
  }
  if (quote || jinja) return undefined;
  if (start >= 0) words.push({ text: text.slice(start), start, end: text.length });
  return words;
}

const KV = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
    const inner = v.slice(1, -1);
    return v[0] === '"' ? inner.replace(/\\(["\\])/g, '$1') : inner;
  }
  return v;
}

export type ParsedArgs = { args: Record<string, string>; error?: undefined } | { args?: undefined; error: string };

/** `a=1 b="two words"` → { a: '1', b: 'two words' }; every word must be key=value. */
export function parseKeyValues(text: string): ParsedArgs {
  const words = splitWords(text);
  if (!words) return { error: 'unbalanced quotes or {{ }} in the arguments' };
  const args: Record<string, string> = {};
  for (const w of words) {
    const m = KV.exec(w.text);
    if (!m) return { error: `expected key=value, got '${w.text}'` };
    args[m[1]!] = unquote(m[2]!);
  }
  return { args };
}

/**
 * Free-form text for a module with `meta.freeForm`: `key=value` words whose key is one of `keys`
 * become arguments; everything else stays, as written, in `freeForm`. Text that cannot be split
 * (e.g. a shell script with an apostrophe in a comment) is taken whole, as the command.
 */
export function parseFreeForm(text: string, freeForm: string, keys: readonly string[]): Record<string, string> {
  const words = splitWords(text);
  const args: Record<string, string> = {};
  if (!words) return { [freeForm]: text.trim() };
  let rest = '';
  let cursor = 0;
  for (const w of words) {
    const m = KV.exec(w.text);
    if (!m || !keys.includes(m[1]!)) continue;
    args[m[1]!] = unquote(m[2]!);
    rest += text.slice(cursor, w.start).replace(/[ \t]+$/, '');
    cursor = w.end;
  }
  rest = (rest + text.slice(cursor)).trim();
  return rest ? { [freeForm]: rest, ...args } : args;
}
