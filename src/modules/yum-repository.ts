// yum_repository: one [section] of a .repo file in /etc/yum.repos.d (dnf and yum read the same
// files). Other sections of the file are kept as they are; removing the last section removes the file.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { applyText, type FileChange, type FileText, planText, readText } from './lib/repo-file.js';

const list = (description: string) => Type.Union([Type.String(), Type.Array(Type.String())], { description });
const bool = (description: string) => Type.Optional(Type.Boolean({ description }));
const schema = Type.Object(
  {
    name: Type.String({ description: 'Repository id (the [section] name).' }),
    description: Type.Optional(Type.String({ description: "Human-readable name (the repository's name=)." })),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present (default) or absent.' })),
    baseurl: Type.Optional(list('URL(s) of the repository.')),
    mirrorlist: Type.Optional(Type.String({ description: 'URL of a mirror list.' })),
    metalink: Type.Optional(Type.String({ description: 'URL of a metalink.' })),
    enabled: bool('Enable the repository (default yes).'),
    gpgcheck: bool('Check package signatures.'),
    repo_gpgcheck: bool('Check the signature of the repository metadata.'),
    gpgkey: Type.Optional(list('URL(s) of the signing key(s), e.g. file:///etc/pki/rpm-gpg/KEY.')),
    exclude: Type.Optional(list('Packages never taken from this repository (globs).')),
    includepkgs: Type.Optional(list('Only these packages are taken from this repository.')),
    priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, description: 'Priority (lower wins).' })),
    skip_if_unavailable: bool('Go on when the repository cannot be reached.'),
    sslverify: bool('Verify the server certificate.'),
    module_hotfixes: bool('Let packages from this repository override modular filtering.'),
    file: Type.Optional(Type.String({ description: 'File name without .repo (default: name).' })),
    reposdir: Type.Optional(Type.String({ description: 'Directory of the repository files (default /etc/yum.repos.d).' })),
    mode: Type.Optional(Type.String({ pattern: '^0?[0-7]{3}$', description: "File mode (default '0644')." })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

const values = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const flag = (b: boolean) => (b ? '1' : '0');

/** The section's key=value lines, keys sorted as Ansible writes them (pure). */
export function yumSection(args: Args): string {
  const kv: Record<string, string | undefined> = {
    name: args.description ?? args.name,
    baseurl: values(args.baseurl).join('\n        ') || undefined,
    mirrorlist: args.mirrorlist,
    metalink: args.metalink,
    enabled: flag(args.enabled ?? true),
    gpgcheck: args.gpgcheck === undefined ? undefined : flag(args.gpgcheck),
    repo_gpgcheck: args.repo_gpgcheck === undefined ? undefined : flag(args.repo_gpgcheck),
    gpgkey: values(args.gpgkey).join('\n       ') || undefined,
    exclude: values(args.exclude).join(' ') || undefined,
    includepkgs: values(args.includepkgs).join(' ') || undefined,
    priority: args.priority === undefined ? undefined : String(args.priority),
    skip_if_unavailable: args.skip_if_unavailable === undefined ? undefined : flag(args.skip_if_unavailable),
    sslverify: args.sslverify === undefined ? undefined : flag(args.sslverify),
    module_hotfixes: args.module_hotfixes === undefined ? undefined : flag(args.module_hotfixes),
  };
  const lines = Object.entries(kv).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} = ${v}`);
  return `[${args.name}]\n${lines.join('\n')}\n`;
}

/** Splits a .repo file into its sections (text before the first section is kept as a preamble). */
export function splitSections(text: string): { preamble: string; sections: Array<{ id: string; text: string }> } {
  const sections: Array<{ id: string; text: string }> = [];
  let preamble = '';
  for (const line of text.split(/(?<=\n)/)) {
    const head = line.match(/^\[([^\]]+)\]\s*$/);
    if (head) sections.push({ id: head[1]!, text: line });
    else if (sections.length) sections[sections.length - 1]!.text += line;
    else preamble += line;
  }
  return { preamble, sections };
}

/** The file's text with our section replaced, added or removed; undefined = nothing left. */
export function withSection(current: string | undefined, id: string, section: string | undefined): string | undefined {
  const { preamble, sections } = splitSections(current ?? '');
  const norm = (s: string) => (s.endsWith('\n\n') || s.endsWith('\n') ? s.replace(/\n*$/, '\n') : `${s}\n`);
  const kept = sections.filter((s) => s.id !== id).map((s) => ({ ...s, text: norm(s.text) }));
  const at = sections.findIndex((s) => s.id === id);
  if (section !== undefined) kept.splice(at < 0 ? kept.length : at, 0, { id, text: section });
  if (kept.length === 0) return preamble.trim() ? preamble : undefined;
  return preamble + kept.map((s) => s.text).join('\n');
}

const repoPath = (args: Args) => `${(args.reposdir ?? '/etc/yum.repos.d').replace(/\/$/, '')}/${args.file ?? args.name}.repo`;

export const yumRepository: Module<Args, FileText, FileChange> = {
  meta: {
    name: 'yum_repository',
    description: 'Add or remove a dnf/yum repository (a section of a .repo file in /etc/yum.repos.d).',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'yum_repository:\n  name: fleetlab\n  description: fleetlab packages\n  baseurl: http://mirror.example/el8/\n  gpgcheck: true\n  gpgkey: file:///etc/pki/rpm-gpg/RPM-GPG-KEY-example',
    returns: { repo: 'The repository id.', state: 'present or absent.', dest: 'The .repo file.' },
  },
  schema,
  async read(ctx, args) {
    if (/[\s/\]]/.test(args.name) || (args.file ?? '').includes('/')) throw new Error(`'${args.name}' is not a usable repository id (no spaces, slashes or ']')`);
    return readText(ctx, repoPath(args));
  },
  plan(args, cur) {
    const absent = args.state === 'absent';
    if (!absent && !args.baseurl && !args.mirrorlist && !args.metalink) {
      return { changes: [], failed: 'yum_repository: one of baseurl, mirrorlist or metalink is required with state present' };
    }
    const want = withSection(cur.text, args.name, absent ? undefined : yumSection(args));
    const mode = parseInt(args.mode ?? '0644', 8);
    return planText(cur, want, mode, `repository ${args.name}`, { repo: args.name, state: absent ? 'absent' : 'present', dest: cur.path });
  },
  apply: applyText,
};
