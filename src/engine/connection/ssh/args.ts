// OpenSSH command-line options as Ansible users write them in ansible_ssh_common_args /
// ansible_ssh_extra_args (`-o ProxyJump=user@bastion -o StrictHostKeyChecking=accept-new`, `-J`,
// `-i key`, `-F config`, …). They become config options with OpenSSH's precedence: the first value
// given wins, and command-line options beat the config file.
import type { SshConfigOptions } from './ssh-config.js';

/** Splits like a POSIX shell would (quotes and backslashes), without expansions. */
export function shellSplit(input: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated single quote');
      cur += input.slice(i + 1, end);
      has = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < input.length && '"\\$`'.includes(input[i + 1]!)) i++;
        cur += input[i++];
      }
      if (i >= input.length) throw new Error('unterminated double quote');
      has = true;
      i++;
    } else if (c === '\\' && i + 1 < input.length) {
      cur += input[i + 1];
      has = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
      i++;
    } else {
      cur += c;
      has = true;
      i++;
    }
  }
  if (has) out.push(cur);
  return out;
}

export interface ParsedSshArgs {
  options: SshConfigOptions;
  /** -F: use this config file instead of ~/.ssh/config. */
  configFile?: string;
}

const FLAGS_WITH_VALUE = new Set('bcDEeLmOQRSWwBI'.split(''));

function setFirst(opts: SshConfigOptions, key: string, args: string[]): void {
  if (key === 'identityfile' || key === 'certificatefile') opts.set(key, [...(opts.get(key) ?? []), ...args.slice(0, 1)]);
  else if (!opts.has(key)) opts.set(key, args);
}

/** `-o Key=Value`, `-oKey=Value`, `-o "Key Value"` → [key (lower case), args]. */
function parseOption(text: string, where: string): [string, string[]] {
  const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+)(.*)$/.exec(text);
  if (!m) throw new Error(`${where}: '-o ${text}' is not Key=Value`);
  const value = m[2]!.trim();
  // Values that are lists (UserKnownHostsFile a b) keep their parts; others stay whole.
  const key = m[1]!.toLowerCase();
  return [key, key === 'userknownhostsfile' || key === 'globalknownhostsfile' ? value.split(/\s+/) : [value]];
}

/**
 * Parses argument strings in precedence order (earlier wins). `where` names the variable in errors.
 * Unknown flags are ignored like Ansible passes them through; malformed ones are errors.
 */
export function parseSshArgs(inputs: readonly { text: string; where: string }[]): ParsedSshArgs {
  const result: ParsedSshArgs = { options: new Map() };
  for (const { text, where } of inputs) {
    let argv: string[];
    try {
      argv = shellSplit(text);
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      const next = () => {
        const v = argv[++i];
        if (v === undefined) throw new Error(`${where}: ${a} needs a value`);
        return v;
      };
      if (!a.startsWith('-') || a.length < 2) throw new Error(`${where}: unexpected argument '${a}' (only ssh options belong here)`);
      const flag = a[1]!;
      const inline = a.length > 2 ? a.slice(2) : undefined;
      const value = () => inline ?? next();
      switch (flag) {
        case 'o':
          setFirst(result.options, ...parseOption(value(), where));
          break;
        case 'J':
          setFirst(result.options, 'proxyjump', [value()]);
          break;
        case 'i':
          setFirst(result.options, 'identityfile', [value()]);
          break;
        case 'p':
          setFirst(result.options, 'port', [value()]);
          break;
        case 'l':
          setFirst(result.options, 'user', [value()]);
          break;
        case 'F':
          result.configFile ??= value();
          break;
        default:
          if (FLAGS_WITH_VALUE.has(flag) && inline === undefined) next();
      }
    }
  }
  return result;
}
