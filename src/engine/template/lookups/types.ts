import type { RenderContext } from '../context.js';
import type { Dict } from '../py-values.js';

/** A lookup plugin: templated terms and keyword options in, a list of values out. */
export type LookupFn = (terms: unknown[], kw: Dict, ctx: RenderContext) => unknown[];
