// Arguments of filters, tests and Python methods as Jinja passes them: positional values plus
// keyword arguments (nunjucks hands those over as a trailing object flagged `__keywords`).
export class Args {
  readonly pos: unknown[];
  readonly kw: Record<string, unknown>;
  /** Keyword names the callee asked for; any other keyword given is a mistake worth reporting. */
  private readonly known = new Set<string>();

  constructor(raw: readonly unknown[]) {
    const last = raw[raw.length - 1];
    if (last && typeof last === 'object' && Object.prototype.hasOwnProperty.call(last, '__keywords')) {
      const { __keywords: _flag, ...kw } = last as Record<string, unknown>;
      this.pos = raw.slice(0, -1);
      this.kw = kw;
    } else {
      this.pos = [...raw];
      this.kw = {};
    }
  }

  /** The argument given by keyword `name` or at position `index`, else `fallback`. */
  get<T = unknown>(name: string, index: number, fallback?: T): T {
    this.known.add(name);
    if (Object.prototype.hasOwnProperty.call(this.kw, name)) return this.kw[name] as T;
    if (index >= 0 && index < this.pos.length) return this.pos[index] as T;
    return fallback as T;
  }

  has(name: string, index: number): boolean {
    this.known.add(name);
    return Object.prototype.hasOwnProperty.call(this.kw, name) || (index >= 0 && index < this.pos.length);
  }

  /** Rejects keywords the callee does not know, so typos fail instead of being ignored. */
  allow(names: readonly string[]): this {
    for (const n of names) this.known.add(n);
    for (const k of Object.keys(this.kw)) {
      if (!names.includes(k)) throw new Error(`unexpected keyword argument '${k}'${names.length ? ` (accepted: ${names.join(', ')})` : ''}`);
    }
    return this;
  }

  /** Throws for keywords that were given but never asked for (typos such as `defualt=`). */
  checkUnused(): void {
    const extra = Object.keys(this.kw).filter((k) => !this.known.has(k));
    if (extra.length) throw new Error(`unexpected keyword argument '${extra[0]}'`);
  }
}
