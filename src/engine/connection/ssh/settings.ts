// Resolves where and how to connect for one host, the way ansible-playbook + OpenSSH would: the
// inventory vars (ansible_user/port/ssh_private_key_file, …) first, then the ssh arguments in
// ansible_ssh_args / ansible_ssh_common_args / ansible_ssh_extra_args, then ~/.ssh/config (or -F);
// the first value found for each option wins. ProxyJump hops are resolved the same way.
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { ConnectionSpec } from '../../contract/connection.js';
import { parseSshArgs } from './args.js';
import type { HostKeyPolicy, HostKeySettings } from './host-keys.js';
import { knownHostName } from './known-hosts.js';
import { expandTokens, loadSshConfig, lookupSshConfig, type ConfigLine, type SshConfigOptions } from './ssh-config.js';

/** Run-wide SSH settings (from the command line / run configuration). */
export interface SshRunOptions {
  connectTimeoutMs?: number;
  /** Applies to every host unless the host's own vars say otherwise (like Ansible's host_key_checking). */
  hostKeyChecking?: HostKeyPolicy;
  /** Extra known_hosts files to trust besides the user's. */
  knownHostsFiles?: string[];
  /** Client config file instead of ~/.ssh/config (tests; `-F` in the host's args still wins). */
  sshConfigFile?: string;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Channels used at once per connection (default 6). */
  maxChannels?: number;
  /** Passphrase for encrypted private keys (else ansible_ssh_private_key_passphrase). */
  keyPassphrase?: string;
}

export interface SshEndpoint {
  /** user@host:port, for messages. */
  label: string;
  host: string;
  port: number;
  user: string;
  /** Key files to try, in order; `explicit` ones must exist. */
  identityFiles: { path: string; explicit: boolean }[];
  identitiesOnly: boolean;
  agent?: string;
  password?: string;
  keyPassphrase?: string;
  hostKeys: HostKeySettings;
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** Hops to go through, outermost first. */
  jumps: SshEndpoint[];
  /** -vvvv: ssh2's protocol trace goes here. */
  debug?: (line: string) => void;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_KEEPALIVE_MS = 5_000;
const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

function str(vars: Readonly<Record<string, unknown>>, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = vars[k];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  }
  return undefined;
}

function bool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (/^(yes|true|on|1)$/i.test(v)) return true;
  if (/^(no|false|off|0)$/i.test(v)) return false;
  return undefined;
}

function policyFromStrict(v: string | undefined): HostKeyPolicy | undefined {
  if (v === undefined) return undefined;
  const s = v.toLowerCase();
  if (s === 'accept-new') return 'accept-new';
  if (s === 'no' || s === 'off' || s === 'false') return 'off';
  if (s === 'yes' || s === 'ask' || s === 'true') return 'strict';
  throw new Error(`StrictHostKeyChecking '${v}' is not one of yes, accept-new, no`);
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}

interface Layer {
  cli: SshConfigOptions;
  cfg: SshConfigOptions;
  /** For a jump host: the target's command-line options it inherits when its config is silent. */
  inherited?: SshConfigOptions;
}

const getAll = (l: Layer, key: string) => l.cli.get(key) ?? l.cfg.get(key) ?? l.inherited?.get(key);
const get1 = (l: Layer, key: string) => getAll(l, key)?.[0];

/**
 * What a jump host takes over from the target's inventory arguments. OpenSSH would not pass these
 * on to the ProxyJump connection, but an inventory that names a known_hosts file or host key policy
 * means it for the whole path; the jump host's own ssh config still wins.
 */
const INHERITED = ['userknownhostsfile', 'globalknownhostsfile', 'stricthostkeychecking', 'hashknownhosts', 'identityagent', 'connecttimeout', 'serveraliveinterval', 'serveralivecountmax'];

/** One hop of a ProxyJump list: `[user@]host[:port]` or `ssh://[user@]host[:port]`. */
export function parseJump(text: string): { user?: string; host: string; port?: number } {
  const t = text.replace(/^ssh:\/\//, '');
  const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(t);
  if (!m) throw new Error(`ProxyJump '${text}' is not [user@]host[:port]`);
  return { user: m[1], host: m[2]!.replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : undefined };
}

interface BuildInput {
  originalHost: string;
  layer: Layer;
  run: SshRunOptions;
  config: readonly ConfigLine[];
  policyOverride?: HostKeyPolicy;
  password?: string;
  keyPassphrase?: string;
  /** Offered after this endpoint's own identities (a jump host gets the target's). */
  extraIdentities: SshEndpoint['identityFiles'];
  /** The target's identities, offered to jump hosts too (OpenSSH would not pass -i on to them). */
  identitiesForJumps?: SshEndpoint['identityFiles'];
  /** The target's command-line options jump hosts inherit (see INHERITED). */
  inherit?: SshConfigOptions;
  depth: number;
}

function build(b: BuildInput): SshEndpoint {
  const { layer, run } = b;
  const user = get1(layer, 'user') ?? localUser();
  const portText = get1(layer, 'port') ?? '22';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`ssh port '${portText}' is not a port number`);
  const host = expandTokens(get1(layer, 'hostname') ?? b.originalHost, { host: b.originalHost, originalHost: b.originalHost, port, user });
  const ctx = { host, originalHost: b.originalHost, port, user };

  const given = [...(layer.cli.get('identityfile') ?? []), ...(layer.cfg.get('identityfile') ?? [])].map((p) => ({ path: expandTokens(p, ctx), explicit: true }));
  const defaults = DEFAULT_IDENTITIES.map((f) => ({ path: join(homedir(), '.ssh', f), explicit: false }));
  const identityFiles = given.length > 0 ? given : defaults;
  for (const f of b.extraIdentities) if (!identityFiles.some((x) => x.path === f.path)) identityFiles.push({ ...f, explicit: false });
  b = {
    ...b,
    identitiesForJumps: b.identitiesForJumps ?? given.map((g) => ({ ...g, explicit: false })),
    inherit: b.inherit ?? new Map([...layer.cli].filter(([k]) => INHERITED.includes(k))),
  };

  const agentOpt = get1(layer, 'identityagent');
  const agent = agentOpt === undefined ? process.env.SSH_AUTH_SOCK || undefined : agentOpt.toLowerCase() === 'none' ? undefined : expandTokens(agentOpt.replace(/^\$SSH_AUTH_SOCK$/, process.env.SSH_AUTH_SOCK ?? ''), ctx) || undefined;

  // Ansible users often turn checking off with ANSIBLE_HOST_KEY_CHECKING=False: it acts as run-wide.
  const envChecking = bool(process.env.ANSIBLE_HOST_KEY_CHECKING);
  const envPolicy: HostKeyPolicy | undefined = envChecking === undefined ? undefined : envChecking ? 'strict' : 'off';
  const policy = b.policyOverride ?? run.hostKeyChecking ?? envPolicy ?? policyFromStrict(get1(layer, 'stricthostkeychecking')) ?? 'strict';
  const userFiles = (getAll(layer, 'userknownhostsfile') ?? ['~/.ssh/known_hosts', '~/.ssh/known_hosts2']).map((f) => expandTokens(f, ctx));
  const globalFiles = getAll(layer, 'globalknownhostsfile') ?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];
  const alias = get1(layer, 'hostkeyalias');
  const hostKeys: HostKeySettings = {
    policy,
    userFiles: [...userFiles, ...(run.knownHostsFiles ?? [])],
    globalFiles,
    names: [alias ?? knownHostName(host, port)],
    hashNew: bool(get1(layer, 'hashknownhosts')) ?? false,
  };

  const seconds = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) * 1000 : undefined);
  const endpoint: SshEndpoint = {
    label: `${user}@${host}${port === 22 ? '' : `:${port}`}`,
    host,
    port,
    user,
    identityFiles,
    identitiesOnly: bool(get1(layer, 'identitiesonly')) ?? false,
    agent,
    password: bool(get1(layer, 'passwordauthentication')) === false ? undefined : b.password,
    keyPassphrase: b.keyPassphrase,
    hostKeys,
    connectTimeoutMs: seconds(layer.cli.get('connecttimeout')?.[0]) ?? run.connectTimeoutMs ?? seconds((layer.cfg.get('connecttimeout') ?? layer.inherited?.get('connecttimeout'))?.[0]) ?? DEFAULT_CONNECT_TIMEOUT_MS,
    keepaliveIntervalMs: seconds(get1(layer, 'serveraliveinterval')) ?? run.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS,
    keepaliveCountMax: Number(get1(layer, 'serveralivecountmax') ?? run.keepaliveCountMax ?? 3),
    jumps: [],
  };
  if (get1(layer, 'proxycommand') && !get1(layer, 'proxyjump')) {
    throw new Error(`ProxyCommand is not supported for ${endpoint.label}; use ProxyJump (-J or -o ProxyJump=user@bastion)`);
  }
  const jumpSpec = get1(layer, 'proxyjump');
  if (jumpSpec && jumpSpec.toLowerCase() !== 'none') endpoint.jumps = resolveJumps(jumpSpec, b);
  return endpoint;
}

function resolveJumps(spec: string, b: BuildInput): SshEndpoint[] {
  if (b.depth > 8) throw new Error('ProxyJump chain is too long (loop in the ssh config?)');
  const chain: SshEndpoint[] = [];
  spec.split(',').forEach((text, i) => {
    const hop = parseJump(text.trim());
    const cli: SshConfigOptions = new Map();
    if (hop.user) cli.set('user', [hop.user]);
    if (hop.port) cli.set('port', [String(hop.port)]);
    // A later hop is reached through the earlier ones, not through its own config's ProxyJump.
    if (i > 0) cli.set('proxyjump', ['none']);
    const ep = build({
      ...b,
      originalHost: hop.host,
      layer: { cli, cfg: lookupSshConfig(b.config, hop.host), inherited: b.inherit },
      password: undefined,
      extraIdentities: b.identitiesForJumps ?? [],
      depth: b.depth + 1,
    });
    const own = ep.jumps;
    ep.jumps = [];
    chain.push(...own, ep);
  });
  return chain;
}

/** Everything needed to reach `spec`'s host, jump hosts included. */
export async function resolveEndpoint(spec: ConnectionSpec, run: SshRunOptions): Promise<SshEndpoint> {
  const v = spec.vars;
  const cli: SshConfigOptions = new Map();
  if (spec.user) cli.set('user', [spec.user]);
  if (spec.port) cli.set('port', [String(spec.port)]);
  const key = str(v, 'ansible_ssh_private_key_file', 'ansible_private_key_file');
  if (key) cli.set('identityfile', [key]);
  const timeout = str(v, 'ansible_ssh_timeout', 'ansible_timeout');
  if (timeout && /^\d+$/.test(timeout)) cli.set('connecttimeout', [timeout]);
  const parsed = parseSshArgs(
    (['ansible_ssh_args', 'ansible_ssh_common_args', 'ansible_ssh_extra_args'] as const)
      .map((k) => ({ text: str(v, k) ?? '', where: `host '${spec.name}': ${k}` }))
      .filter((x) => x.text !== ''),
  );
  for (const [k, val] of parsed.options) {
    if (k === 'identityfile') cli.set(k, [...(cli.get(k) ?? []), ...val]);
    else if (!cli.has(k)) cli.set(k, val);
  }
  const configPath = parsed.configFile ?? run.sshConfigFile ?? join(homedir(), '.ssh', 'config');
  const config = await loadSshConfig(configPath.replace(/^~(?=\/)/, homedir()));
  const checking = bool(str(v, 'ansible_ssh_host_key_checking', 'ansible_host_key_checking'));
  const endpoint = await build({
    originalHost: spec.address,
    layer: { cli, cfg: lookupSshConfig(config, spec.address) },
    run,
    config,
    policyOverride: checking === undefined ? undefined : checking ? 'strict' : 'off',
    password: spec.password,
    keyPassphrase: run.keyPassphrase ?? str(v, 'ansible_ssh_private_key_passphrase', 'ansible_private_key_passphrase'),
    extraIdentities: [],
    depth: 0,
  });
  if (spec.trace) {
    const trace = spec.trace;
    // ssh2 quotes each exec'd command and env value: the EXEC line shows the command (or hides a no_log
    // task's), so the protocol trace must not repeat it.
    const scrub = (line: string) => line.replace(/(exec: ).*\)$/s, '$1…)').replace(/(env: [^=]*=).*\)$/s, '$1…)');
    for (const hop of [...endpoint.jumps, endpoint]) hop.debug = (line) => trace(`ssh ${hop.label}: ${scrub(line)}`);
  }
  return endpoint;
}
