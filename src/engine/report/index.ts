export { createTextReporter, type TextReporterOptions } from './text-reporter.js';
export { createJsonReporter } from './json-reporter.js';
export { reportSchema, type ReportMeta, type RunReport } from './json-schema.js';
export { createLiveReporter, type LiveReporterOptions } from './live-reporter.js';
export { chooseReporter, createMultiReporter, type ChooseReporterOptions } from './multi.js';
export { renderDiff, DIFF_MAX_BYTES, DIFF_MAX_LINES } from './diff.js';
export { createRedactingReporter, isSecretName, MASK, MIN_SECRET_LENGTH, Redactor, secretValues } from './redact.js';
