// deb822_repository: an apt source in the deb822 format apt reads from
// /etc/apt/sources.list.d/<name>.sources (the modern replacement of apt_repository + apt_key).
// signed_by is a keyring path or an ASCII-armored key, which is embedded in the file (apt ≥ 2.3).
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { applyText, type FileChange, type FileText, planText, readText } from './lib/repo-file.js';

const list = (description: string) => Type.Union([Type.String(), Type.Array(Type.String())], { description });
const schema = Type.Object(
  {
    name: Type.String({ description: 'Name of the source (X-Repolib-Name); also the file name unless filename is given.' }),
    state: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')], { description: 'present (default) writes the file; absent removes it.' })),
    types: Type.Optional(list("'deb' and/or 'deb-src' (default deb).")),
    uris: Type.Optional(list('Repository URIs.')),
    suites: Type.Optional(list("Suites, e.g. jammy; a path ending in '/' for flat repositories.")),
    components: Type.Optional(list('Components, e.g. main.')),
    architectures: Type.Optional(list('Architectures to fetch (default: the host\'s).')),
    signed_by: Type.Optional(Type.String({ description: 'Keyring path, or an ASCII-armored public key to embed.' })),
    enabled: Type.Optional(Type.Boolean({ description: 'Enabled: no leaves the source in place but unused.' })),
    trusted: Type.Optional(Type.Boolean({ description: 'Trusted: yes skips signature checks (avoid).' })),
    filename: Type.Optional(Type.String({ description: 'File name without .sources (default: name, spaces as dashes).' })),
    mode: Type.Optional(Type.String({ pattern: '^0?[0-7]{3}$', description: "File mode (default '0644')." })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

const words = (v: string | string[] | undefined) => (v === undefined ? [] : (Array.isArray(v) ? v : v.split(/\s+/)).map((s) => s.trim()).filter(Boolean));
const boolField = (v: boolean) => (v ? 'yes' : 'no');

/** The .sources text for the args (pure). */
export function deb822Text(args: Args): string {
  const fields: Array<[string, string | undefined]> = [
    ['X-Repolib-Name', args.name],
    ['Types', (words(args.types).length ? words(args.types) : ['deb']).join(' ')],
    ['URIs', words(args.uris).join(' ')],
    ['Suites', words(args.suites).join(' ')],
    ['Components', words(args.components).join(' ') || undefined],
    ['Architectures', words(args.architectures).join(' ') || undefined],
    ['Enabled', args.enabled === undefined ? undefined : boolField(args.enabled)],
    ['Trusted', args.trusted === undefined ? undefined : boolField(args.trusted)],
  ];
  const lines = fields.filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`);
  if (args.signed_by) {
    const key = args.signed_by.trim();
    // An embedded key is a multi-line field: continuation lines start with a space, blank lines are ' .'.
    lines.push(key.includes('\n') ? `Signed-By:\n${key.split('\n').map((l) => (l.trim() === '' ? ' .' : ` ${l}`)).join('\n')}` : `Signed-By: ${key}`);
  }
  return `${lines.join('\n')}\n`;
}

export function deb822Path(args: Args): string {
  return `/etc/apt/sources.list.d/${(args.filename ?? args.name).replace(/\s+/g, '-')}.sources`;
}

export const deb822Repository: Module<Args, FileText, FileChange> = {
  meta: {
    name: 'deb822_repository',
    description: 'Add or remove an apt source in deb822 format (/etc/apt/sources.list.d/NAME.sources).',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'deb822_repository:\n  name: fleetlab\n  uris: http://mirror.example/apt\n  suites: jammy\n  components: main\n  signed_by: /usr/share/keyrings/example.gpg',
    returns: { dest: 'The .sources file.', repo: 'Its content (present).' },
  },
  schema,
  async read(ctx, args) {
    const name = args.filename ?? args.name;
    if (!name || name.includes('/')) throw new Error(`'${name}' is not a usable source name (no slashes)`);
    return readText(ctx, deb822Path(args));
  },
  plan(args, cur) {
    const absent = args.state === 'absent';
    if (!absent && (words(args.uris).length === 0 || words(args.suites).length === 0)) {
      return { changes: [], failed: 'deb822_repository: uris and suites are required with state present' };
    }
    const text = absent ? undefined : deb822Text(args);
    return planText(cur, text, parseInt(args.mode ?? '0644', 8), `source ${args.name}`, { dest: cur.path, ...(text ? { repo: text } : {}) });
  },
  apply: applyText,
};
