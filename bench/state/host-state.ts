// What the benchmark checks on every host after every run: the files the workload touches, with
// type, mode, owner and content. A small sh script prints them (run inside the host, not through
// any tool under test); the parser and the comparison are pure.

export interface Entry {
  /** find(1) %y: f file, d directory, l link, … */
  type: string;
  /** find(1) %m: octal permission bits, e.g. 644. */
  mode: string;
  /** uid:gid */
  owner: string;
  content?: Buffer;
}

/** Path → entry. */
export type HostState = Map<string, Entry>;

const FMT = String.raw`%y\t%m\t%U:%G\t%p\n`;

/**
 * The script that prints a host's state: every waagent file in /etc (so stray temp files of an
 * atomic write show up) and everything under each workload directory, one tab-separated line each,
 * file contents in base64.
 */
export function stateScript(etcFile: string, dirs: readonly string[]): string {
  const etcDir = etcFile.replace(/\/[^/]+$/, '') || '/';
  const base = etcFile.slice(etcDir.length + 1).replace(/\.[^.]*$/, '');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    'cd / || exit 1',
    `{ find ${q(etcDir)} -maxdepth 1 -name ${q(`*${base}*`)} -printf '${FMT}'; find ${dirs.map(q).join(' ')} -printf '${FMT}' 2>/dev/null; } | sort -t "$(printf '\\t')" -k4 |`,
    `while IFS="$(printf '\\t')" read -r y m o p; do c=''; if [ "$y" = f ]; then c=$(base64 -w0 < "$p"); fi; printf '%s\\t%s\\t%s\\t%s\\t%s\\n' "$y" "$m" "$o" "$p" "$c"; done`,
  ].join('\n');
}

export function parseState(text: string): HostState {
  const state: HostState = new Map();
  for (const [i, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const f = line.split('\t');
    if (f.length !== 5 || !/^[a-zA-Z]$/.test(f[0]!) || !/^[0-7]{1,4}$/.test(f[1]!) || !/^\d+:\d+$/.test(f[2]!) || !f[3]!.startsWith('/')) {
      throw new Error(`bench: host state line ${i + 1} is malformed: ${JSON.stringify(line.slice(0, 120))}`);
    }
    const e: Entry = { type: f[0]!, mode: f[1]!, owner: f[2]! };
    if (e.type === 'f') e.content = Buffer.from(f[4]!, 'base64');
    state.set(f[3]!, e);
  }
  return state;
}

function firstDifference(a: Buffer, b: Buffer): string {
  const al = a.toString('utf8').split('\n');
  const bl = b.toString('utf8').split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `line ${i + 1}: ${JSON.stringify(al[i] ?? '<end of file>')}, expected ${JSON.stringify(bl[i] ?? '<end of file>')}`;
  }
  return 'same lines, different bytes';
}

/** Every way `actual` differs from `expected`, as readable sentences (empty = identical). */
export function compareStates(actual: HostState, expected: HostState): string[] {
  const problems: string[] = [];
  for (const [path, want] of expected) {
    const got = actual.get(path);
    if (!got) {
      problems.push(`${path} is missing`);
      continue;
    }
    if (got.type !== want.type) {
      problems.push(`${path} is of type ${got.type}, expected ${want.type}`);
      continue;
    }
    if (got.mode !== want.mode) problems.push(`${path} has mode ${got.mode}, expected ${want.mode}`);
    if (got.owner !== want.owner) problems.push(`${path} is owned by ${got.owner}, expected ${want.owner}`);
    if (want.content && got.content && !got.content.equals(want.content)) problems.push(`${path} differs at ${firstDifference(got.content, want.content)}`);
  }
  for (const path of actual.keys()) if (!expected.has(path)) problems.push(`${path} should not exist`);
  return problems;
}

export function cloneState(s: HostState): HostState {
  return new Map([...s].map(([k, v]) => [k, { ...v }]));
}
