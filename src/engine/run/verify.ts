// After apply: read the host again and check it now matches what the plan intended (Terraform's
// "inconsistent result after apply" check). Off by default in direct runs, where it would cost one
// more read per changed task; saved-plan applies and `--verify` turn it on.
import type { HostContext, Module, PlanContext } from '../contract/module.js';

/** Whether the module can show, by reading again, that its apply did what the plan said. */
export function verifiable(module: Module): boolean {
  if (module.meta.runsOn === 'controller') return false;
  return (module.meta.verify ?? (module.meta.checkMode === 'full' ? 'replan' : 'none')) === 'replan';
}

/** What still differs after apply (empty = the host matches the plan's intended state). */
export async function verifyApplied(module: Module, args: Record<string, unknown>, ctx: HostContext, planCtx: PlanContext): Promise<string[]> {
  const after = await module.read(ctx, args);
  if (module.verify) return module.verify(args, after, planCtx);
  const again = module.plan(args, after, planCtx);
  if (again.failed) return [again.failed];
  if (again.changes.length === 0) return [];
  return [again.reason ?? `${again.changes.length} change(s) still planned`];
}
