// Jinja's Undefined, made useful: instead of JS `undefined` flowing through expressions, a missing
// variable or key becomes an object that remembers what was asked for and why it is missing. Tests
// (`is defined`) and `default` inspect it; anything that uses its value throws a message naming it.

export class Undefined {
  constructor(
    /** The expression as written, e.g. `result.stdout_lins`. */
    readonly expr: string,
    /** Why it is undefined, e.g. "'result' has no key 'stdout_lins'; it has: rc, stdout". */
    readonly reason: string,
    /** The top-level variable name when the variable itself is missing (not one of its keys). */
    readonly missingVar?: string,
    /** A "did you mean" suggestion, shown as the diagnostic's hint. */
    readonly hint?: string,
  ) {}

  /** `x.y` or `x[0]` on an undefined `x` stays undefined (Ansible's chainable undefined). */
  child(key: unknown): Undefined {
    const expr = typeof key === 'string' && /^[A-Za-z_]\w*$/.test(key) ? `${this.expr}.${key}` : `${this.expr}[${JSON.stringify(key)}]`;
    return new Undefined(expr, this.reason, this.missingVar, this.hint);
  }

  /** The one-line description used in error messages. */
  describe(): string {
    if (this.missingVar !== undefined && this.expr === this.missingVar) return `undefined variable '${this.missingVar}'`;
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
