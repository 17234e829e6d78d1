// Jinja's Undefined, made useful: instead of JS `undefined` flowing through expressions, a missing
// variable or key becomes an object that remembers what was asked for and why it is missing. Tests
// (`is defined`) and `default` inspect it; anything that uses its value throws a message naming it.
// The reason and hint are computed only when an error is reported: `x is defined` stays cheap.

type Lazy = string | (() => string | undefined);

export class Undefined {
  constructor(
    /** The expression as written, e.g. `result.stdout_lins`. */
    readonly expr: string,
    private readonly why: Lazy,
    /** The top-level variable name when the variable itself is missing (not one of its keys). */
    readonly missingVar?: string,
    private readonly suggestion?: Lazy,
  ) {}

  /** Why it is undefined, e.g. "'result' has no key 'stdout_lins'; it has: rc, stdout". */
  get reason(): string {
    return (typeof this.why === 'function' ? this.why() : this.why) ?? '';
  }

  /** A "did you mean" suggestion, shown as the diagnostic's hint. */
  get hint(): string | undefined {
    return typeof this.suggestion === 'function' ? this.suggestion() : this.suggestion;
  }

  /** `x.y` or `x[0]` on an undefined `x` stays undefined (Ansible's chainable undefined). */
  child(key: unknown): Undefined {
    return new Undefined(joinExpr(this.expr, key), this.why, this.missingVar, this.suggestion);
  }

  /** The one-line description used in error messages. */
  describe(): string {
    if (this.missingVar !== undefined) return `undefined variable '${this.missingVar}'${this.expr !== this.missingVar ? ` (in '${this.expr}')` : ''}`;
    return `undefined: '${this.expr}' (${this.reason})`;
  }

  // A stray JS coercion (string concatenation inside a filter, JSON.stringify) must not turn the
  // value into "[object Object]": it fails with the same message as a template use.
  [Symbol.toPrimitive](): never {
    throw new UndefinedUse(this);
  }

  toJSON(): never {
    throw new UndefinedUse(this);
  }
}

/** `result` + `stdout` → `result.stdout`; `groups` + `gpu-nodes` → `groups['gpu-nodes']`. */
export function joinExpr(base: string, key: unknown): string {
  if (typeof key === 'string' && /^[A-Za-z_]\w*$/.test(key)) return `${base}.${key}`;
  return `${base}[${typeof key === 'string' ? `'${key}'` : keyText(key)}]`;
}

/** A list or dict used as a key reads as JSON in messages, not '[object Object]'. */
function keyText(key: unknown): string {
  if (key === null || typeof key !== 'object') return String(key);
  try {
    return JSON.stringify(key) ?? String(key);
  } catch {
    return Array.isArray(key) ? '[...]' : '{...}';
  }
}

/** Thrown when an Undefined's value is used; converted to a TemplateError with a position. */
export class UndefinedUse extends Error {
  constructor(readonly undef: Undefined) {
    super(undef.describe());
    this.name = 'UndefinedUse';
  }
}

export function isUndefined(v: unknown): v is Undefined {
  return v instanceof Undefined;
}
