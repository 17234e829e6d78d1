// Ansible's INI inventory passes every value through Python's ast.literal_eval and keeps the raw text
// when that fails. So `port=22` is a number, `flag=True` a boolean, `list=['a', 'b']` a list, while
// `flag=true`, `mode=0644` (not a Python 3 literal) and `name=web` stay strings. This is that subset.

class NotALiteral extends Error {}

/** The value Python's literal_eval would give, or the text itself when it is not a literal. */
export function parseIniValue(text: string): unknown {
  try {
    const p = new LiteralParser(text);
    const value = p.value();
    p.end();
    return value;
  } catch (e) {
    if (e instanceof NotALiteral) return text;
    throw e;
  }
}

class LiteralParser {
  private i = 0;
  constructor(private readonly s: string) {}

  end(): void {
    this.ws();
    if (this.i < this.s.length) throw new NotALiteral();
  }

  value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) throw new NotALiteral();
    if (c === '[') return this.sequence('[', ']');
    if (c === '(') return this.sequence('(', ')');
    if (c === '{') return this.braces();
    if (c === '"' || c === "'") return this.str();
    if (/[uUbBrR]/.test(c) && /['"]/.test(this.s[this.i + 1] ?? '')) {
      const raw = c === 'r' || c === 'R';
      this.i++;
      return this.str(raw);
    }
    if (/[-+0-9.]/.test(c)) return this.number();
    const word = /^[A-Za-z_]\w*/.exec(this.s.slice(this.i))?.[0];
    const names: Record<string, unknown> = { True: true, False: false, None: null };
    if (word && word in names) {
      this.i += word.length;
      return names[word];
    }
    throw new NotALiteral();
  }

  // Python comments may follow a literal (`x = 'a' # note`): literal_eval ignores them.
  private ws(): void {
    for (;;) {
      while (/\s/.test(this.s[this.i] ?? '')) this.i++;
      if (this.s[this.i] !== '#') return;
      while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
    }
  }

  private sequence(open: string, close: string): unknown {
    this.i++;
    const out: unknown[] = [];
    let sawComma = false;
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) {
        this.i++;
        // `(1)` is just 1 in Python; only `(1,)` is a tuple.
        if (open === '(' && out.length === 1 && !sawComma) return out[0];
        return out;
      }
      out.push(this.value());
      this.ws();
      sawComma = this.s[this.i] === ',';
      if (sawComma) this.i++;
      else if (this.s[this.i] !== close) throw new NotALiteral();
    }
  }

  private braces(): unknown {
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return {};
    }
    const first = this.value();
    this.ws();
    if (this.s[this.i] !== ':') {
      // A set literal; Ansible ends up with a list-like value.
      const out = [first];
      for (;;) {
        if (this.s[this.i] === '}') break;
        if (this.s[this.i] !== ',') throw new NotALiteral();
        this.i++;
        this.ws();
        if (this.s[this.i] === '}') break;
        out.push(this.value());
        this.ws();
      }
      this.i++;
      return [...new Set(out)];
    }
    const obj: Record<string, unknown> = {};
    let key: unknown = first;
    for (;;) {
      this.i++; // ':'
      if (key !== null && typeof key === 'object') throw new NotALiteral();
      obj[String(key)] = this.value();
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        this.ws();
      }
      if (this.s[this.i] === '}') {
        this.i++;
        return obj;
      }
      key = this.value();
      this.ws();
      if (this.s[this.i] !== ':') throw new NotALiteral();
    }
  }

  private str(raw = false): string {
    const q = this.s[this.i]!;
    this.i++;
    let out = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '\n') throw new NotALiteral();
      this.i++;
      if (c === q) break;
      if (c !== '\\' || raw) {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };
      if (e !== undefined && e in simple) out += simple[e];
      else if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = this.s.slice(this.i, this.i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new NotALiteral();
        out += String.fromCodePoint(parseInt(hex, 16));
        this.i += len;
      } else out += `\\${e ?? ''}`;
    }
    // Adjacent literals concatenate in Python: 'a' 'b' == 'ab'.
    this.ws();
    const next = this.s[this.i];
    if (next === '"' || next === "'") out += this.str();
    return out;
  }

  private number(): number {
    const rest = this.s.slice(this.i);
    const m =
      /^[-+]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][-+]?\d+)?|\d(?:_?\d)*\.?(?:[eE][-+]?\d+)?)/.exec(rest);
    if (!m) throw new NotALiteral();
    const text = m[0];
    const after = rest[text.length];
    if (after !== undefined && /[\w.]/.test(after)) throw new NotALiteral();
    const sign = text.startsWith('-') ? -1 : 1;
    const body = text.replace(/^[-+]/, '').replace(/_/g, '');
    // Python 3 rejects decimal integers with a leading zero (`0644`): they stay strings.
    if (/^0\d/.test(body) && !/[.eE]/.test(body)) throw new NotALiteral();
    let n: number;
    if (/^0[xXoObB]/.test(body)) {
      const radix = { x: 16, o: 8, b: 2 }[body[1]!.toLowerCase() as 'x' | 'o' | 'b'];
      n = parseInt(body.slice(2), radix);
    } else n = Number(body);
    if (!Number.isFinite(n) || (Number.isInteger(n) && !/[.eE]/.test(body) && !Number.isSafeInteger(n))) throw new NotALiteral();
    this.i += text.length;
    return sign * n;
  }
}
