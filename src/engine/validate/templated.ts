/** True when a string holds Jinja (`{{`, `{%`, `{#`): its real value is only known at run time. */
export function isTemplated(value: unknown): value is string {
  return typeof value === 'string' && /\{\{|\{%|\{#/.test(value);
}
