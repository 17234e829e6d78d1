// `key=value key2="quoted value"` as the command line gives it to -e. Values stay strings, as
// ansible-playbook leaves them (use JSON for typed values).
import { InvalidInputError } from '../engine/contract/diagnostics.js';

export function splitKeyValues(text: string, where: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && text[i] !== '=' && !/\s/.test(text[i]!)) i++;
    const key = text.slice(start, i);
    if (text[i] !== '=' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new InvalidInputError({ loc: { file: where, line: 1, col: start + 1 }, message: `expected key=value, got '${text.slice(start).split(/\s/)[0]}'` });
    }
    i++;
    let value = '';
    while (i < n && !/\s/.test(text[i]!)) {
      const c = text[i]!;
      if (c === '"' || c === "'") {
        const close = text.indexOf(c, i + 1);
        if (close < 0) throw new InvalidInputError({ loc: { file: where, line: 1, col: i + 1 }, message: `unterminated ${c} quote` });
        value += text.slice(i + 1, close);
        i = close + 1;
      } else if (c === '\\' && i + 1 < n) {
        value += text[i + 1];
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    out.push([key, value]);
  }
  return out;
}
