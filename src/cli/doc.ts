// `fleetplay doc [MODULE]`: module documentation generated from each module's schema, so the docs
// cannot drift from what validation accepts. `--markdown` is what the README's reference is made of.
import { ExitCode, didYouMean } from '../engine/contract/diagnostics.js';
import { outOfScope } from '../modules/out-of-scope.js';
import type { Module } from '../engine/contract/module.js';
import { registry } from '../modules/registry.js';

interface JsonSchemaLike {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchemaLike[];
  oneOf?: JsonSchemaLike[];
  items?: JsonSchemaLike;
  properties?: Record<string, JsonSchemaLike>;
  required?: string[];
}

export function typeOf(s: JsonSchemaLike): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return [...new Set(alts.map(typeOf))].join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'any'}`;
  if (Array.isArray(s.type)) return s.type.join(' \\| ');
  return s.type ?? 'any';
}

function argRows(m: Module): Array<{ name: string; type: string; required: boolean; def: string; desc: string }> {
  const schema = m.schema as JsonSchemaLike;
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    type: typeOf(s),
    required: required.has(name),
    def: s.default === undefined ? '' : JSON.stringify(s.default),
    desc: (s.description ?? '').replace(/\n/g, ' '),
  }));
}

export function moduleMarkdown(m: Module): string {
  const { meta } = m;
  const out = [`### ${meta.name}`, '', meta.description, ''];
  const facts = [`platforms: ${meta.platforms.join(', ')}`, `check mode: ${meta.checkMode === 'full' ? 'full (plans and diffs)' : 'none (skipped unless the plan is empty)'}`];
  if (meta.aliases?.length) facts.push(`aliases: ${meta.aliases.join(', ')}`);
  if (meta.freeForm) facts.push(`free-form: the plain string is \`${meta.freeForm}\``);
  out.push(facts.map((f) => `- ${f}`).join('\n'), '');
  const rows = argRows(m);
  if (rows.length) {
    out.push('| argument | type | required | default | description |', '|---|---|---|---|---|');
    for (const r of rows) out.push(`| \`${r.name}\` | ${r.type} | ${r.required ? 'yes' : ''} | ${r.def ? `\`${r.def}\`` : ''} | ${r.desc} |`);
    out.push('');
  }
  for (const note of meta.notes ?? []) out.push(note, '');
  if (meta.example) out.push('```yaml', meta.example.trimEnd(), '```', '');
  const returns = Object.entries(meta.returns ?? {});
  if (returns.length) {
    out.push('Returns (registered result):', '', '| field | description |', '|---|---|');
    for (const [k, d] of returns) out.push(`| \`${k}\` | ${d} |`);
    out.push('');
  }
  return out.join('\n');
}

export function modulesMarkdown(): string {
  return registry.all().map(moduleMarkdown).join('\n');
}

function moduleText(m: Module): string {
  const lines = [`${m.meta.name} — ${m.meta.description}`, ''];
  for (const r of argRows(m)) {
    lines.push(`  ${r.name}${r.required ? ' (required)' : ''}: ${r.type.replace(/\\\|/g, '|')}${r.def ? ` = ${r.def}` : ''}`);
    if (r.desc) lines.push(`      ${r.desc}`);
  }
  for (const note of m.meta.notes ?? []) lines.push('', ...wrap(note, 98).map((l) => `  ${l}`));
  if (m.meta.example) lines.push('', 'Example:', ...m.meta.example.trimEnd().split('\n').map((l) => `  ${l}`));
  const returns = Object.entries(m.meta.returns ?? {});
  if (returns.length) lines.push('', 'Returns (registered result):', ...returns.map(([k, d]) => `  ${k}: ${d}`));
  return `${lines.join('\n')}\n`;
}

export function docCommand(name: string | undefined, opts: { markdown?: boolean }): number {
  if (!name) {
    if (opts.markdown) process.stdout.write(modulesMarkdown());
    else for (const m of registry.all()) process.stdout.write(`${m.meta.name.padEnd(26)} ${m.meta.description}\n`);
    return ExitCode.ok;
  }
  const m = registry.get(name);
  if (!m) {
    const why = outOfScope(name);
    if (why) {
      process.stderr.write(`fleetplay: no module named '${name}': ${why}\n`);
      return ExitCode.badOptions;
    }
    const hint = didYouMean(name, registry.names());
    process.stderr.write(`fleetplay: no module named '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}\n`);
    return ExitCode.badOptions;
  }
  process.stdout.write(opts.markdown ? moduleMarkdown(m) : moduleText(m));
  return ExitCode.ok;
}

/** Words into lines of at most `width` characters (a long word gets its own line). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
