// hostname: the host's name, both the permanent one (/etc/hostname, written atomically) and the
// running one (the kernel's, set with `hostname`), which is what Ansible's file-based strategies do
// and what systemd's hostnamed reads at boot. Each half changes only when it differs.
import Type, { type Static } from 'typebox';
import type { DiffItem, Module, Plan } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';

const STRATEGIES = ['alpine', 'debian', 'freebsd', 'generic', 'macos', 'macosx', 'darwin', 'openbsd', 'openrc', 'redhat', 'sles', 'solaris', 'systemd'] as const;
const schema = Type.Object(
  {
    name: Type.String({ description: 'The host name to have.' }),
    use: Type.Optional(Type.Enum([...STRATEGIES], { description: 'Accepted for compatibility; Linux hosts always get /etc/hostname plus the running name.' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  /** /etc/hostname's name (first non-comment line); null when the file is missing. */
  permanent: string | null;
  running: string;
}

type Change = { kind: 'file'; content: string } | { kind: 'running'; name: string };

export const HOSTNAME_FILE = '/etc/hostname';

/** The name in /etc/hostname text: its first line that is neither blank nor a comment. */
export function hostnameFromFile(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#')) ?? '';
}

export function planHostname(args: Args, cur: Current): Plan<Change> {
  const name = args.name.trim();
  if (!/^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(name) || name.length > 253) {
    return { changes: [], failed: `'${args.name}' is not a valid host name (letters, digits, hyphens and dots; labels up to 63 characters)` };
  }
  const short = name.split('.')[0]!;
  const facts = { ansible_hostname: short, ansible_nodename: name, ansible_fqdn: name, ansible_domain: name.split('.').slice(1).join('.') };
  const changes: Change[] = [];
  const diff: DiffItem[] = [];
  if (cur.permanent !== name) {
    changes.push({ kind: 'file', content: `${name}\n` });
    diff.push({ kind: 'text', path: HOSTNAME_FILE, before: cur.permanent === null ? '' : `${cur.permanent}\n`, after: `${name}\n` });
  }
  if (cur.running !== name) {
    changes.push({ kind: 'running', name });
    diff.push({ kind: 'fields', label: 'hostname (running)', fields: [{ key: 'hostname', before: cur.running, after: name }] });
  }
  const result = { name, ansible_facts: facts };
  if (changes.length === 0) return { changes, reason: `the host is already named ${name}`, result, facts };
  return { changes, diff, reason: `rename ${cur.running} to ${name}`, result, facts };
}

export const hostname: Module<Args, Current, Change> = {
  meta: {
    name: 'hostname',
    description: "Set the host's name, permanently (/etc/hostname) and in the running system.",
    platforms: ['linux'],
    checkMode: 'full',
    example: 'hostname:\n  name: hpc-node-017',
    returns: { name: 'The host name.', ansible_facts: 'ansible_hostname, ansible_nodename, ansible_fqdn and ansible_domain for the new name.' },
  },
  schema,
  async read(ctx) {
    const got = await ctx.readFile(HOSTNAME_FILE);
    const r = await ctx.run('uname -n');
    if (r.rc !== 0) throw new Error(`cannot read the host name: ${r.stderr.trim()}`);
    return { permanent: got ? hostnameFromFile(got.data.toString('utf8')) : null, running: r.stdout.trim() };
  },
  plan: planHostname,
  async apply(ctx, plan) {
    for (const c of plan.changes) {
      if (c.kind === 'file') await ctx.writeFile(HOSTNAME_FILE, c.content, { mode: 0o644 });
      else {
        const r = await ctx.run(`PATH="$PATH:/usr/sbin:/sbin:/bin"; hostname ${shQuote(c.name)}`);
        if (r.rc !== 0) return { failed: `cannot set the running host name: ${(r.stderr || r.stdout).trim()}` };
      }
    }
    return { result: plan.result, facts: plan.facts };
  },
};
