// State shared by one load: the registry, every problem found so far (the loader keeps going after
// an error so that one run reports them all), parsed files, and cycle detection for imports.
import { readFile, stat } from 'node:fs/promises';
import type { Diagnostic, Loc } from '../contract/diagnostics.js';
import { InvalidInputError } from '../contract/diagnostics.js';
import type { ModuleRegistry } from '../contract/module.js';
import type { TemplateChecker } from '../contract/template.js';
import { displayPath, Source } from './source.js';
import { parseYaml } from './yaml-source.js';

export interface LoadOptions {
  registry: ModuleRegistry;
  /** Non-fatal findings (ignored keywords, YAML warnings). Default: dropped. */
  onWarning?: (warning: Diagnostic) => void;
  /**
   * Compiles every templated string (and each template file a task names) as it loads, so that a
   * template syntax error is reported with the other problems before anything runs. The CLI passes
   * its templater (which caches what compiles for the run); without it, templates are first
   * compiled when they run. Injected rather than imported: loading does not depend on the
   * template engine, only on the contract.
   */
  templates?: TemplateChecker;
}

export class LoadContext {
  readonly registry: ModuleRegistry;
  readonly templates: TemplateChecker | undefined;
  readonly diagnostics: Diagnostic[] = [];
  private readonly onWarning: ((w: Diagnostic) => void) | undefined;
  private readonly sources = new Map<string, Promise<Source | InvalidInputError>>();
  /** Files and roles whose dynamic include was already checked statically. */
  readonly checkedIncludes = new Set<string>();
  /** Import chain (absolute paths) for cycle detection. */
  readonly importStack: string[] = [];
  playCount = 0;
  /** The current play's role uses (role directory + entry signature): a role runs once per play per signature. */
  roleRuns = new Set<string>();
  /** Directory of the top playbook being loaded (the last place `src:` files are looked up). */
  playbookDir: string | undefined;
  /** Template files already checked (absolute paths). */
  readonly checkedTemplateFiles = new Set<string>();

  constructor(opts: LoadOptions) {
    this.registry = opts.registry;
    this.onWarning = opts.onWarning;
    this.templates = opts.templates;
  }

  error(loc: Loc | undefined, message: string, hint?: string): void {
    this.diagnostics.push({ ...(loc ? { loc } : {}), message, ...(hint ? { hint } : {}), severity: 'error' });
  }

  addAll(list: readonly Diagnostic[]): void {
    for (const d of list) {
      if (d.severity === 'warning') this.warn(d);
      else this.diagnostics.push({ ...d, severity: 'error' });
    }
  }

  warn(d: Diagnostic): void {
    this.onWarning?.({ ...d, severity: 'warning' });
  }

  get errorCount(): number {
    return this.diagnostics.length;
  }

  /** Throws every collected problem at once. */
  throwIfErrors(): void {
    if (this.diagnostics.length) throw new InvalidInputError(sortedByPlace(this.diagnostics));
  }

  /**
   * Reads and parses a YAML file once per load. A missing file is reported at `from` (the line that
   * refers to it) as "<what> '<path>' not found"; syntax errors at their own positions.
   */
  async source(abs: string, from: Loc | undefined, what: string): Promise<Source | undefined> {
    if (!(await isFile(abs))) {
      this.error(from, `${what} '${displayPath(abs)}' not found`);
      return undefined;
    }
    let pending = this.sources.get(abs);
    if (!pending) {
      pending = readFile(abs, 'utf8').then(
        (text) => {
          try {
            const parsed = parseYaml(text, displayPath(abs));
            for (const w of parsed.warnings) this.warn(w);
            return new Source(abs, parsed);
          } catch (err) {
            if (err instanceof InvalidInputError) return err;
            throw err;
          }
        },
        (err: NodeJS.ErrnoException) => new InvalidInputError({ ...(from ? { loc: from } : {}), message: `cannot read ${what} '${displayPath(abs)}': ${err.code ?? err.message}` }),
      );
      this.sources.set(abs, pending);
      const result = await pending;
      if (result instanceof InvalidInputError) this.addAll(result.diagnostics);
    }
    const result = await pending;
    return result instanceof InvalidInputError ? undefined : result;
  }
}

export async function isFile(abs: string): Promise<boolean> {
  try {
    return (await stat(abs)).isFile();
  } catch {
    return false;
  }
}

export async function isDir(abs: string): Promise<boolean> {
  try {
    return (await stat(abs)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Files in the order they were first reported, each file's problems top to bottom. A file read
 * twice (a role used with two parameter sets) reports each problem once.
 */
function sortedByPlace(all: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const list = all.filter((d) => {
    const key = JSON.stringify([d.loc, d.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const fileOrder = new Map<string, number>();
  for (const d of list) if (d.loc && !fileOrder.has(d.loc.file)) fileOrder.set(d.loc.file, fileOrder.size);
  const rank = (d: Diagnostic) => (d.loc ? fileOrder.get(d.loc.file)! : -1);
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d) - rank(b.d) || (a.d.loc?.line ?? 0) - (b.d.loc?.line ?? 0) || (a.d.loc?.col ?? 0) - (b.d.loc?.col ?? 0) || a.i - b.i)
    .map(({ d }) => d);
}
