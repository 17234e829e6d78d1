// The real implementations of the services the executor calls (loader, validator, template files,
// connection settings). Tests and embedders may replace any of them through RunOptions.services.
import type { Diagnostic } from '../contract/diagnostics.js';
import type { ModuleRegistry } from '../contract/module.js';
import type { IncludeNode } from '../contract/playbook.js';
import type { TemplateChecker } from '../contract/template.js';
import { connectionSpecFromVars } from '../connection/factory.js';
import { type IncludeOptions, loadIncludedTasks, loadRole, loadVarsFile } from '../load/index.js';
import { renderTemplateFile } from '../template/index.js';
import { prepareModuleArgs } from '../validate/module-args.js';
import type { RunServices } from './options.js';

export function defaultServices(registry: ModuleRegistry, warn: (d: Diagnostic) => void, templates?: TemplateChecker): RunServices {
  let loads = 0;
  // Every load gets its own id prefix: the same include may run many times (per host, per item).
  const includeOptions = (from: IncludeNode): IncludeOptions => ({
    registry,
    baseDir: from.baseDir,
    idPrefix: `${from.id}~${++loads}`,
    from: from.loc,
    onWarning: warn,
    // Files loaded at run time (a templated include path) get the same template checks as at load.
    ...(templates ? { templates } : {}),
  });
  return {
    loader: {
      includeTasks: (file, from) => loadIncludedTasks(file, { ...includeOptions(from), ...(from.role ? { role: from.role } : {}) }),
      includeRole: (name, from) => loadRole(name, { ...includeOptions(from), ...(from.tasksFrom ? { tasksFrom: from.tasksFrom } : {}) }),
    },
    prepareArgs: (module, args, argLocs, taskLoc) => prepareModuleArgs(module, args, argLocs, taskLoc, { templated: true }),
    loadVarsFile,
    renderTemplateFile: (text, path, layers) => renderTemplateFile(text, path, [...layers]),
    connectionSpec: connectionSpecFromVars,
  };
}
