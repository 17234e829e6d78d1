// The load-time template pass, wired where the loader reads each value: every problem joins the
// other diagnostics of the load, so one run reports them all and nothing runs. A no-op unless the
// caller gave LoadOptions.templates.
import { readFile } from 'node:fs/promises';
import type { Loc } from '../contract/diagnostics.js';
import type { LocMap } from '../contract/playbook.js';
import { expressionProblems, moduleArgProblems, templateFileArg, textProblems } from '../validate/templates.js';
import type { LoadContext } from './context.js';
import { findControllerFile } from './controller-files.js';
import { displayPath, type Source } from './source.js';
import { locAt } from './yaml-source.js';

/** Templated strings inside the value at `pointer` of `src` (rendered as text). */
export function checkText(ctx: LoadContext, src: Source, pointer: string, value: unknown): void {
  if (!ctx.templates || value === undefined || value === null) return;
  ctx.addAll(textProblems(ctx.templates, value, (p) => src.loc(pointer + p)));
}

/** A `when:`-like value at `pointer`: a bare expression or a list of them. */
export function checkExpressions(ctx: LoadContext, src: Source, pointer: string, value: unknown): void {
  if (!ctx.templates || value === undefined || value === null) return;
  ctx.addAll(expressionProblems(ctx.templates, value, (p) => src.loc(pointer + p)));
}

/** A module task's arguments, located as the executor locates them when it renders them. */
export function checkModuleArgs(ctx: LoadContext, module: string, args: Record<string, unknown>, argLocs: LocMap, taskLoc: Loc): void {
  if (!ctx.templates) return;
  ctx.addAll(moduleArgProblems(ctx.templates, module, args, (p) => locAt(argLocs, p, taskLoc)));
}

/** The template file a task names by a plain path, found as the executor will find it. */
export async function checkTemplateFile(ctx: LoadContext, module: string, args: Record<string, unknown>, roleDir: string | undefined, baseDir: string): Promise<void> {
  if (!ctx.templates) return;
  const file = templateFileArg(module, args);
  if (file === undefined) return;
  const abs = await findControllerFile('templates', file, roleDir, baseDir, ctx.playbookDir);
  // Not found: the task reports it when it runs (the file may be created by an earlier task).
  if (!abs || ctx.checkedTemplateFiles.has(abs)) return;
  ctx.checkedTemplateFiles.add(abs);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch {
    return;
  }
  ctx.addAll(ctx.templates.checkFile(text, displayPath(abs)));
}
