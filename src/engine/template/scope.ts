// Variables as Ansible resolves them: layers with later ones winning; a trusted layer's value that
// holds `{{ }}` is templated when it is first read in this scope (lazily, so only the variables a
// template uses cost anything); untrusted layers (registered results, facts) come back verbatim.
import { TemplateError, type Loc } from '../contract/diagnostics.js';
import type { VarLayer } from '../contract/template.js';
import { MISSING, type VarSource } from './context.js';
import { needsRender, pointerSegment, renderDeep } from './engine.js';
import { hasKey, isProxy } from './py-values.js';

export class Scope implements VarSource {
  private readonly memo = new Map<string, unknown>();
  private readonly resolving: string[] = [];

  constructor(
    private readonly layers: readonly VarLayer[],
    /** Where the template being rendered is (used when a variable has no recorded location). */
    private readonly site: Loc,
  ) {}

  lookup(name: string): unknown {
    if (this.memo.has(name)) return this.memo.get(name);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i]!;
      if (!hasKey(layer.vars, name)) continue;
      const raw = layer.vars[name];
      if (!layer.trusted || !needsRender(raw)) return raw;
      return this.resolve(name, raw, layer);
    }
    return MISSING;
  }

  names(): string[] {
    const all = new Set<string>();
    for (const l of this.layers) if (!isProxy(l.vars)) for (const k of Object.keys(l.vars)) all.add(k);
    return [...all];
  }

  private resolve(name: string, raw: unknown, layer: VarLayer): unknown {
    const pointer = `/${pointerSegment(name)}`;
    const loc = layer.locs?.[pointer] ?? this.site;
    if (this.resolving.includes(name)) {
      const chain = [...this.resolving.slice(this.resolving.indexOf(name)), name].join(' -> ');
      throw new TemplateError({ loc, message: `recursive loop detected in template for variable '${name}' (${chain})` });
    }
    this.resolving.push(name);
    let value: unknown;
    try {
      value = renderDeep(raw, this, loc, layer.locs, pointer, ` (in the value of variable '${name}')`);
    } finally {
      this.resolving.pop();
    }
    this.memo.set(name, value);
    return value;
  }
}
