// The raw-SSH floors cannot template on the host, so the harness renders the workload's template for
// each host, as the least any tool must do. Only the expressions the reference template uses are
// understood; anything else is an error rather than a silently different file.

export interface TemplateHost {
  name: string;
  address: string;
}

export interface TemplateContext {
  host: TemplateHost;
  /** Group name → member host names in inventory order. */
  groups: ReadonlyMap<string, readonly string[]>;
}

function group(ctx: TemplateContext, name: string, expr: string): readonly string[] {
  const g = ctx.groups.get(name);
  if (!g) throw new Error(`bench: template expression '${expr}': no group '${name}'`);
  return g;
}

function evaluate(expr: string, ctx: TemplateContext): string {
  if (expr === 'inventory_hostname') return ctx.host.name;
  if (expr === 'ansible_host') return ctx.host.address;
  let m = /^groups\[(['"])([\w-]+)\1\]\.index\(inventory_hostname\)$/.exec(expr);
  if (m) {
    const i = group(ctx, m[2]!, expr).indexOf(ctx.host.name);
    if (i < 0) throw new Error(`bench: template expression '${expr}': ${ctx.host.name} is not in group '${m[2]}'`);
    return String(i);
  }
  m = /^groups\[(['"])([\w-]+)\1\]\s*\|\s*length$/.exec(expr);
  if (m) return String(group(ctx, m[2]!, expr).length);
  throw new Error(`bench: template expression '${expr}' is not one the floors can render`);
}

/** Renders `{{ expr }}` placeholders; keeps the text (and its trailing newline) as Ansible does. */
export function renderTemplate(source: string, ctx: TemplateContext): string {
  if (/\{%|\{#/.test(source)) throw new Error('bench: template statements and comments are not supported by the floors');
  return source.replace(/\{\{(.*?)\}\}/g, (_all, expr: string) => evaluate(expr.trim(), ctx));
}

/** host name → (template source → rendered text), for a fleet whose only group is `group`. */
export function templateRenderer(templates: ReadonlyMap<string, string>, group: string, hosts: readonly TemplateHost[]): (host: string) => (source: string) => string {
  const groups = new Map([[group, hosts.map((h) => h.name)]]);
  const byName = new Map(hosts.map((h) => [h.name, h]));
  return (name) => (source) => {
    const text = templates.get(source);
    const host = byName.get(name);
    if (text === undefined || !host) throw new Error(`bench: no template '${source}' or host '${name}'`);
    return renderTemplate(text, { host, groups });
  };
}
