// Every module argument that reaches a host, as one table: how a task passes payload `P` (the
// variable `p`) through that argument, and what must then be true on the host — the value arrived
// literally. Each case is run once per payload; a payload that reaches a shell creates the canary.
// The table is transport-neutral: the local runner and the lab's SSH runner share it.
import { dirname } from 'node:path';
import type { TaskResult } from '../../src/engine/contract/events.js';
import { expandsVariables } from './payloads.js';

/** What a check may look at: the host (through a real connection) and the task's result. */
export interface Probe {
  /** The per-case directory on the host (`d` in task templates). */
  dir: string;
  result: TaskResult;
  read(path: string): Promise<string | null>;
  /** Symlink target, or null when the path is not a link. */
  linkTarget(path: string): Promise<string | null>;
  exists(path: string): Promise<boolean>;
}

export interface InjectionCase {
  /** `module.argument`, as reported. */
  id: string;
  /**
   * The task for payload variable `p` in directory variable `d` (both set per task). Paths under
   * `d` whose parents the payload names (it contains '/') are created first by `parents`.
   */
  task: Record<string, unknown>;
  /** Paths (relative to `d`) whose parent directories must exist before the task, given the payload. */
  parents?: (p: string) => string[];
  /** Files to create (relative to `d`) before the task: name → content. */
  files?: (p: string) => Record<string, string>;
  /** The literal-arrival check; absent = only "no canary" (e.g. values the schema or the host refuse). */
  check?: (probe: Probe, p: string) => Promise<void> | void;
}

const under = (rel: string) => `{{ d }}/${rel}`;
const stdout = (r: TaskResult) => (r.data.stdout as string | undefined) ?? '';

function same(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function ran(r: TaskResult, what: string): void {
  if (r.status === 'failed' || r.status === 'unreachable') throw new Error(`${what} failed: ${r.msg ?? JSON.stringify(r.data)}`);
}

export const INJECTION_CASES: InjectionCase[] = [
  {
    id: 'copy.content',
    task: { copy: { dest: under('content'), content: '{{ p }}' } },
    check: async (h, p) => same(await h.read(`${h.dir}/content`), p, 'file content'),
  },
  {
    id: 'copy.dest',
    task: { copy: { dest: under('{{ p }}'), content: 'x' } },
    parents: (p) => [p],
    check: async (h, p) => same(await h.read(`${h.dir}/${p}`), 'x', 'file at the payload path'),
  },
  {
    id: 'copy.owner',
    task: { copy: { dest: under('owned'), content: 'x', owner: '{{ p }}' } },
  },
  {
    id: 'template.vars',
    task: { template: { src: 'payload.j2', dest: under('rendered') } },
    check: async (h, p) => same(await h.read(`${h.dir}/rendered`), `[${p}]\n`, 'rendered template'),
  },
  {
    id: 'template.dest',
    task: { template: { src: 'payload.j2', dest: under('{{ p }}') } },
    parents: (p) => [p],
    check: async (h, p) => same(await h.read(`${h.dir}/${p}`), `[${p}]\n`, 'template at the payload path'),
  },
  {
    id: 'file.path(touch)',
    task: { file: { path: under('{{ p }}'), state: 'touch' } },
    parents: (p) => [p],
    check: async (h, p) => same(await h.exists(`${h.dir}/${p}`), true, 'touched file exists'),
  },
  {
    id: 'file.path(directory)',
    task: { file: { path: under('{{ p }}/sub'), state: 'directory' } },
    check: async (h, p) => same(await h.exists(`${h.dir}/${p}/sub`), true, 'directory exists'),
  },
  {
    id: 'file.src(link)',
    task: { file: { path: under('link'), src: '{{ p }}', state: 'link', force: true } },
    check: async (h, p) => same(await h.linkTarget(`${h.dir}/link`), p, 'link target'),
  },
  {
    id: 'file.path(absent)',
    task: { file: { path: under('{{ p }}'), state: 'absent' } },
    files: (p) => ({ [p]: 'to be removed' }),
    check: async (h, p) => same(await h.exists(`${h.dir}/${p}`), false, 'removed'),
  },
  {
    id: 'file.group',
    task: { file: { path: under('grp'), state: 'touch', group: '{{ p }}' } },
  },
  {
    id: 'lineinfile.line',
    task: { lineinfile: { path: under('lines'), line: '{{ p }}', create: true } },
    check: async (h, p) => same(await h.read(`${h.dir}/lines`), `${p}\n`, 'file content'),
  },
  {
    id: 'lineinfile.path',
    task: { lineinfile: { path: under('{{ p }}'), line: 'x', create: true } },
    check: async (h, p) => same(await h.read(`${h.dir}/${p}`), 'x\n', 'file at the payload path'),
  },
  {
    id: 'lineinfile.search_string',
    task: { lineinfile: { path: under('search'), search_string: '{{ p }}', line: 'replaced' } },
    files: (p) => ({ search: `before\n${p}\nafter\n` }),
    // A multi-line search string matches no single line, so the line is appended (as in Ansible).
    check: async (h, p) => same(await h.read(`${h.dir}/search`), p.includes('\n') ? `before\n${p}\nafter\nreplaced\n` : 'before\nreplaced\nafter\n', 'file content'),
  },
  {
    id: 'lineinfile.regexp',
    task: { lineinfile: { path: under('regexp'), regexp: '{{ p }}', line: 'y', create: true } },
  },
  {
    id: 'lineinfile.insertafter',
    task: { lineinfile: { path: under('after'), insertafter: '{{ p }}', line: 'y', create: true } },
  },
  {
    id: 'command.argv',
    task: { command: { argv: ['printf', '%s', '{{ p }}'], strip_empty_ends: false } },
    check: (h, p) => {
      ran(h.result, 'printf');
      if (!expandsVariables(p)) same(stdout(h.result), p, 'argument as printed');
    },
  },
  {
    id: 'command.argv(no expansion)',
    task: { command: { argv: ['printf', '%s', '{{ p }}'], strip_empty_ends: false, expand_argument_vars: false } },
    check: (h, p) => same(stdout(h.result), p, 'argument as printed'),
  },
  {
    id: 'command.cmd(quote filter)',
    task: { command: { cmd: 'printf %s {{ p | quote }}', strip_empty_ends: false, expand_argument_vars: false } },
    check: (h, p) => same(stdout(h.result), p, 'argument as printed'),
  },
  {
    id: 'command.cmd(raw words)',
    task: { command: { cmd: 'echo {{ p }}' } },
  },
  {
    id: 'command.chdir',
    task: { command: { argv: ['pwd'], chdir: under('{{ p }}') } },
    parents: (p) => [`${p}/x`],
    check: (h, p) => same(stdout(h.result), `${h.dir}/${p}`, 'working directory'),
  },
  {
    id: 'command.creates',
    task: { command: { argv: ['touch', under('creates-ran')], creates: under('{{ p }}') } },
    files: (p) => ({ [p]: 'exists' }),
    check: async (h, p) => {
      // A glob character in the payload may widen the match but never runs anything.
      if (!/[*?[]/.test(p)) same(await h.exists(`${h.dir}/creates-ran`), false, 'command skipped since the file exists');
    },
  },
  {
    id: 'command.removes',
    task: { command: { argv: ['touch', under('removes-ran')], removes: under('{{ p }}.absent') } },
    check: async (h, p) => {
      if (!/[*?[]/.test(p)) same(await h.exists(`${h.dir}/removes-ran`), false, 'command skipped since the file is absent');
    },
  },
  {
    id: 'command.stdin',
    task: { command: { argv: ['cat'], stdin: '{{ p }}', stdin_add_newline: false, strip_empty_ends: false } },
    check: (h, p) => same(stdout(h.result), p, 'stdin echoed'),
  },
  {
    id: 'shell.cmd(quote filter)',
    task: { shell: { cmd: 'printf %s {{ p | quote }}', strip_empty_ends: false } },
    check: (h, p) => same(stdout(h.result), p, 'argument as printed'),
  },
  {
    id: 'shell.chdir',
    task: { shell: { cmd: 'pwd', chdir: under('{{ p }}') } },
    parents: (p) => [`${p}/x`],
    check: (h, p) => same(stdout(h.result), `${h.dir}/${p}`, 'working directory'),
  },
  {
    id: 'shell.stdin',
    task: { shell: { cmd: 'cat', stdin: '{{ p }}', stdin_add_newline: false, strip_empty_ends: false } },
    check: (h, p) => same(stdout(h.result), p, 'stdin echoed'),
  },
  {
    id: 'shell.executable',
    task: { shell: { cmd: 'true', executable: '{{ p }}' } },
  },
  {
    id: 'environment',
    task: { command: { argv: ['printenv', 'FLEETPLAY_PAYLOAD'], strip_empty_ends: false }, environment: { FLEETPLAY_PAYLOAD: '{{ p }}' } },
    check: (h, p) => same(stdout(h.result), `${p}\n`, 'environment value'),
  },
  {
    id: 'stat.path',
    task: { stat: { path: under('{{ p }}') }, register: 'st' },
    files: (p) => ({ [p]: 'stat me' }),
    check: (h) => same((h.result.data.stat as { exists?: boolean } | undefined)?.exists, true, 'stat.exists'),
  },
  {
    id: 'service.name',
    task: { service: { name: '{{ p }}', state: 'started' } },
  },
  {
    id: 'wait_for.path',
    task: { wait_for: { path: under('{{ p }}'), timeout: 5, sleep: 0.2 } },
    files: (p) => ({ [p]: 'here' }),
    check: (h) => ran(h.result, 'wait_for'),
  },
  {
    id: 'wait_for.search_regex',
    task: { wait_for: { path: under('haystack'), search_regex: '{{ p }}', timeout: 0 } },
    files: () => ({ haystack: 'hello\n' }),
  },
  {
    id: 'wait_for.host',
    task: { wait_for: { host: '{{ p }}', port: 9, state: 'stopped', timeout: 0, connect_timeout: 1 } },
  },
  {
    id: 'waagent_rdma.path',
    task: { waagent_rdma: { path: under('{{ p }}'), state: 'enabled', create: true } },
    parents: (p) => [p],
    check: async (h, p) => {
      const text = await h.read(`${h.dir}/${p}`);
      if (!text?.includes('OS.EnableRDMA=y')) throw new Error(`waagent.conf at the payload path: got ${JSON.stringify(text)}`);
    },
  },
  {
    id: 'mofed_install.version',
    task: { mofed_install: { version: '{{ p }}', distro: '{{ mofed_distro }}', base_url: '{{ mofed_url }}', add_kernel_support: false, tmp_dir: '{{ d }}' } },
  },
  {
    id: 'mofed_install.base_url',
    task: { mofed_install: { version: '5.8-3.0.7.0', distro: '{{ mofed_distro }}', base_url: 'file://{{ d }}/{{ p }}', add_kernel_support: false, tmp_dir: '{{ d }}' } },
  },
  {
    id: 'mofed_install.extra_args',
    task: { mofed_install: { version: '5.8-3.0.7.0', distro: '{{ mofed_distro }}', base_url: '{{ mofed_url }}', extra_args: ['{{ p }}'], add_kernel_support: false, tmp_dir: '{{ d }}' } },
    // Checked by the runner from the fake installer's record of its argv.
  },
  {
    id: 'mofed_install.tmp_dir',
    task: { mofed_install: { version: '5.8-3.0.7.0', distro: '{{ mofed_distro }}', base_url: '{{ mofed_url }}', add_kernel_support: false, tmp_dir: under('{{ p }}') } },
    parents: (p) => [`${p}/x`],
    // The module removes its temp dir with rm -rf: a path split by the shell would remove more.
    files: () => ({ keep: 'x' }),
    check: async (h, p) => {
      same(await h.exists(`${h.dir}/keep`), true, 'a file beside tmp_dir survives');
      same(await h.exists(`${h.dir}/${p}`), true, 'tmp_dir itself survives');
    },
  },
  {
    id: 'become_user',
    task: { command: { argv: ['true'] }, become: true, become_user: '{{ p }}' },
  },
];

/** Parent directories to create for a case and payload, relative to its directory. */
export function parentDirs(c: InjectionCase, p: string): string[] {
  return (c.parents?.(p) ?? []).map((rel) => dirname(rel)).filter((d) => d !== '.');
}
