// What compiled templates see as `context`: the variable scope of this render plus a slot for the
// native value of a single-expression template. nunjucks' generated code also calls setVariable /
// addExport for top-level `{% set %}`; the frame already holds those values, so they are no-ops.
export const MISSING: unique symbol = Symbol('missing');

/** Variables visible to a template (layers with lazy templating, see scope.ts). */
export interface VarSource {
  lookup(name: string): unknown;
  /** Names visible at top level, for "did you mean" hints (not hostvars' contents). */
  names(): string[];
}

export class RenderContext {
  native: unknown = undefined;
  constructor(readonly scope: VarSource) {}
  setVariable(): void {}
  addExport(): void {}
  getVariables(): Record<string, unknown> {
    return {};
  }
}
