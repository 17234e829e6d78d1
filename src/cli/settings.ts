// The run's settings as ansible-playbook orders their sources: a command-line flag, else its
// ANSIBLE_* environment variable, else the ansible.cfg key, else fleetplay's default. Connection
// settings (-u, -b, ...) then sit below every playbook keyword and host variable (engine/run/connect).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, resolve } from 'node:path';
import { UsageError, type Loc } from '../engine/contract/diagnostics.js';
import type { ConnectionDefaults } from '../engine/run/options.js';
import type { AnsibleConfig } from './ansible-config.js';

/** What the command line says about settings that ansible.cfg or the environment can also give. */
export interface SettingsFlags {
  inventory: string[];
  forks?: number;
  timeout?: number;
  hostKeyChecking?: 'strict' | 'accept-new' | 'off';
  vaultId?: string[];
  vaultPasswordFile?: string[];
  user?: string;
  privateKey?: string;
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: string;
  askPass?: boolean;
  askBecomePass?: boolean;
  connectionPasswordFile?: string;
  becomePasswordFile?: string;
}

export interface Settings {
  inventory: string[];
  forks: number;
  timeout: number;
  hostKeyChecking?: 'strict' | 'accept-new' | 'off';
  vaultId: string[];
  vaultPasswordFile: string[];
  rolesPath: string[];
  askPass: boolean;
  askBecomePass: boolean;
  connectionPasswordFile?: string;
  becomePasswordFile?: string;
  /** Without the passwords: those are read (or prompted for) by the caller. */
  connection: Omit<ConnectionDefaults, 'password' | 'becomePassword'>;
}

type Kind = 'string' | 'int' | 'bool' | 'path' | 'pathlist' | 'list' | 'accepted';

// ansible.cfg keys fleetplay honours: [section] key → (setting, environment variable, kind).
const KEYS: Record<string, { env?: string; kind: Kind }> = {
  'defaults.inventory': { env: 'ANSIBLE_INVENTORY', kind: 'pathlist' },
  'defaults.remote_user': { env: 'ANSIBLE_REMOTE_USER', kind: 'string' },
  'defaults.forks': { env: 'ANSIBLE_FORKS', kind: 'int' },
  'defaults.timeout': { env: 'ANSIBLE_TIMEOUT', kind: 'int' },
  'defaults.host_key_checking': { env: 'ANSIBLE_HOST_KEY_CHECKING', kind: 'bool' },
  'defaults.vault_password_file': { env: 'ANSIBLE_VAULT_PASSWORD_FILE', kind: 'path' },
  'defaults.vault_identity_list': { env: 'ANSIBLE_VAULT_IDENTITY_LIST', kind: 'list' },
  'defaults.roles_path': { env: 'ANSIBLE_ROLES_PATH', kind: 'pathlist' },
  'defaults.private_key_file': { env: 'ANSIBLE_PRIVATE_KEY_FILE', kind: 'path' },
  'defaults.ask_pass': { env: 'ANSIBLE_ASK_PASS', kind: 'bool' },
  'privilege_escalation.become': { env: 'ANSIBLE_BECOME', kind: 'bool' },
  'privilege_escalation.become_user': { env: 'ANSIBLE_BECOME_USER', kind: 'string' },
  'privilege_escalation.become_method': { env: 'ANSIBLE_BECOME_METHOD', kind: 'string' },
  'privilege_escalation.become_ask_pass': { env: 'ANSIBLE_BECOME_ASK_PASS', kind: 'bool' },
  'ssh_connection.ssh_args': { env: 'ANSIBLE_SSH_ARGS', kind: 'string' },
  // fleetplay keeps one SSH connection per host and runs modules without temp files: nothing to turn on.
  'ssh_connection.pipelining': { env: 'ANSIBLE_PIPELINING', kind: 'accepted' },
};

/** The honoured keys, for the README and the warning about the others. */
export const HONOURED_KEYS = Object.keys(KEYS);

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  config?: AnsibleConfig;
  cwd?: string;
  /** One line per ansible.cfg key fleetplay does not use. */
  warn?: (message: string) => void;
}

export function resolveSettings(flags: SettingsFlags, o: ResolveOptions = {}): Settings {
  const env = o.env ?? process.env;
  const cwd = o.cwd ?? process.cwd();
  const cfg = new Map<string, { value: string; loc: Loc }>();
  if (o.config) {
    for (const e of o.config.entries) {
      const id = `${e.section}.${e.key}`;
      if (KEYS[id]) cfg.set(id, { value: e.value, loc: { file: o.config.file, line: e.line, col: 1 } });
      else o.warn?.(`${o.config.file}:${e.line}: [${e.section}] ${e.key} is not used by fleetplay (ignored)`);
    }
  }
  const cfgDir = o.config ? dirname(o.config.file) : cwd;
  /** The environment's value, else the config's; paths relative to where they were written. */
  const raw = (id: string): { value: string; base: string; where: string } | undefined => {
    const name = KEYS[id]!.env!;
    const e = env[name];
    if (e !== undefined && e !== '') return { value: e, base: cwd, where: name };
    const c = cfg.get(id);
    return c && { value: c.value, base: cfgDir, where: `${c.loc.file}:${c.loc.line}` };
  };
  const str = (id: string) => raw(id)?.value;
  const bool = (id: string) => {
    const r = raw(id);
    if (!r) return undefined;
    if (/^(y|yes|on|1|true|t)$/i.test(r.value.trim())) return true;
    if (/^(n|no|off|0|false|f|)$/i.test(r.value.trim())) return false;
    throw new UsageError(`${r.where}: '${r.value}' is not a boolean (use true or false)`);
  };
  const int = (id: string) => {
    const r = raw(id);
    if (!r) return undefined;
    const n = Number(r.value.trim());
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${r.where}: '${r.value}' is not a positive integer`);
    return n;
  };
  const path = (id: string) => {
    const r = raw(id);
    return r && expandPath(r.value.trim(), r.base);
  };
  // roles_path is a list on the path separator, as PATH is.
  const paths = (id: string, sep: string | RegExp) => {
    const r = raw(id);
    return r ? r.value.split(sep).map((p) => p.trim()).filter(Boolean).map((p) => expandPath(p, r.base)) : [];
  };

  const becomeMethod = flags.becomeMethod ?? str('privilege_escalation.become_method');
  if (becomeMethod !== undefined && becomeMethod !== 'sudo') {
    throw new UsageError(`become method '${becomeMethod}' is not supported: fleetplay escalates with sudo only`);
  }
  const checking = bool('defaults.host_key_checking');
  const settings: Settings = {
    inventory: flags.inventory.length ? flags.inventory : inventoryFrom(raw('defaults.inventory')),
    forks: flags.forks ?? int('defaults.forks') ?? 50,
    timeout: flags.timeout ?? int('defaults.timeout') ?? 10,
    // ANSIBLE_HOST_KEY_CHECKING itself is read by the SSH layer; here only what the config adds.
    ...(flags.hostKeyChecking ? { hostKeyChecking: flags.hostKeyChecking } : checking === false ? { hostKeyChecking: 'off' as const } : {}),
    // As Ansible: the configured identities come before the command line's, the configured file after.
    vaultId: [...(str('defaults.vault_identity_list') ?? '').split(',').map((s) => s.trim()).filter(Boolean), ...(flags.vaultId ?? [])],
    vaultPasswordFile: [...(flags.vaultPasswordFile ?? []), ...[path('defaults.vault_password_file')].filter((p): p is string => !!p)],
    rolesPath: paths('defaults.roles_path', delimiter),
    askPass: !!flags.askPass || !!bool('defaults.ask_pass'),
    askBecomePass: !!flags.askBecomePass || !!bool('privilege_escalation.become_ask_pass'),
    ...(flags.connectionPasswordFile ? { connectionPasswordFile: flags.connectionPasswordFile } : {}),
    ...(flags.becomePasswordFile ? { becomePasswordFile: flags.becomePasswordFile } : {}),
    connection: {},
  };
  const c = settings.connection;
  const user = flags.user ?? str('defaults.remote_user');
  if (user !== undefined) c.user = user;
  const key = flags.privateKey ?? path('defaults.private_key_file');
  if (key !== undefined) c.privateKeyFile = flags.privateKey ? resolve(flags.privateKey) : key;
  const sshArgs = str('ssh_connection.ssh_args');
  if (sshArgs !== undefined) c.sshArgs = sshArgs;
  const become = flags.become ?? bool('privilege_escalation.become');
  if (become !== undefined) c.become = become;
  const becomeUser = flags.becomeUser ?? str('privilege_escalation.become_user');
  if (becomeUser !== undefined) c.becomeUser = becomeUser;
  return settings;
}

/** `inventory = a.ini, b/` in the config, or ANSIBLE_INVENTORY; a host list (`web1,`) stays as it is. */
function inventoryFrom(r: { value: string; base: string } | undefined): string[] {
  if (!r) return [];
  const v = r.value.trim();
  // ansible's "host list" inventory: a comma and no path separator in an entry is a list of hosts.
  if (v.includes(',') && !v.split(',').some((p) => p.includes('/'))) return [v];
  return v.split(',').map((p) => p.trim()).filter(Boolean).map((p) => expandPath(p, r.base));
}

function expandPath(p: string, base: string): string {
  const home = p.replace(/^~(?=\/|$)/, homedir()).replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, n: string) => process.env[n] ?? m);
  return isAbsolute(home) ? home : resolve(base, home);
}

/** --connection-password-file / --become-password-file: the file's text without surrounding whitespace, as Ansible reads it. */
export function passwordFromFile(file: string, flag: string): string {
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8').trim();
  } catch {
    throw new UsageError(`${flag}: cannot read '${file}'`);
  }
  if (!text) throw new UsageError(`${flag}: '${file}' is empty`);
  return text;
}
