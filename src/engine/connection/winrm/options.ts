// WinRM settings from a host's inventory vars, under Ansible's names (ansible_winrm_*), validated
// up front so a typo is an input error naming the variable, not a confusing failure on the wire.
import { readFileSync } from 'node:fs';
import type { ConnectionSpec } from '../../contract/connection.js';
import { InvalidInputError, didYouMean } from '../../contract/diagnostics.js';

export interface WinrmSettings {
  host: string;
  port: number;
  scheme: 'http' | 'https';
  path: string;
  auth: 'ntlm' | 'basic';
  user: string;
  password: string;
  /** NTLM message encryption. */
  encrypt: boolean;
  tls: { ca?: Buffer; rejectUnauthorized: boolean };
  operationTimeoutSec: number;
  readTimeoutMs: number;
  /** -vvvv: the HTTP exchanges' trace. */
  trace?: (line: string) => void;
  connectTimeoutMs: number;
  /** Commands run at once on this host (each on its own authenticated connection). */
  maxConcurrency: number;
}

export interface WinrmFactoryOptions {
  connectTimeoutMs?: number;
  [key: string]: unknown;
}

const SUPPORTED: Record<string, 'ntlm' | 'basic'> = { ntlm: 'ntlm', negotiate: 'ntlm', basic: 'basic', plaintext: 'basic', ssl: 'basic' };
const LATER = ['kerberos', 'credssp', 'certificate'];

export function winrmSettings(spec: ConnectionSpec, opts: WinrmFactoryOptions = {}): WinrmSettings {
  const problems: string[] = [];
  const v = spec.vars;
  const where = `host '${spec.name}'`;
  const str = (k: string): string | undefined => {
    const x = v[k];
    if (x === undefined || x === null || x === '') return undefined;
    return typeof x === 'string' ? x.trim() : String(x);
  };
  const bool = (k: string, dflt: boolean): boolean => {
    const x = v[k];
    if (x === undefined || x === null || x === '') return dflt;
    if (typeof x === 'boolean') return x;
    const s = String(x).toLowerCase();
    if (['true', 'yes', 'on', '1'].includes(s)) return true;
    if (['false', 'no', 'off', '0'].includes(s)) return false;
    problems.push(`${where}: ${k} must be true or false, got '${String(x)}'`);
    return dflt;
  };
  const num = (k: string, dflt: number): number => {
    const s = str(k);
    if (s === undefined) return dflt;
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0) {
      problems.push(`${where}: ${k} must be a positive number of seconds, got '${s}'`);
      return dflt;
    }
    return n;
  };
  const oneOf = <T extends string>(k: string, allowed: readonly T[]): T | undefined => {
    const s = str(k)?.toLowerCase();
    if (s === undefined) return undefined;
    if ((allowed as readonly string[]).includes(s)) return s as T;
    const hint = didYouMean(s, allowed);
    problems.push(`${where}: ${k} must be one of ${allowed.join(', ')}, got '${s}'${hint ? `; did you mean '${hint}'?` : ''}`);
    return undefined;
  };

  const auth = transportOf(v.ansible_winrm_transport, where, problems);
  const port = spec.port ?? 5986;
  const scheme = oneOf('ansible_winrm_scheme', ['http', 'https'] as const) ?? (port === 5985 ? 'http' : 'https');
  const validation = oneOf('ansible_winrm_server_cert_validation', ['validate', 'ignore'] as const) ?? 'validate';
  const encryption = oneOf('ansible_winrm_message_encryption', ['auto', 'always', 'never'] as const) ?? 'auto';
  let ca: Buffer | undefined;
  const caPath = str('ansible_winrm_ca_trust_path');
  if (caPath) {
    try {
      ca = readFileSync(caPath);
    } catch (e) {
      problems.push(`${where}: ansible_winrm_ca_trust_path '${caPath}' cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  let operationTimeoutSec = num('ansible_winrm_operation_timeout_sec', 20);
  let readTimeoutSec = num('ansible_winrm_read_timeout_sec', 30);
  const connTimeout = str('ansible_winrm_connection_timeout');
  if (connTimeout !== undefined) {
    // Ansible's shorthand: one number for the operation timeout, the read timeout just above it.
    operationTimeoutSec = num('ansible_winrm_connection_timeout', 20);
    readTimeoutSec = operationTimeoutSec + 10;
  }
  if (readTimeoutSec <= operationTimeoutSec) {
    problems.push(`${where}: ansible_winrm_read_timeout_sec (${readTimeoutSec}) must exceed ansible_winrm_operation_timeout_sec (${operationTimeoutSec})`);
  }

  if (!spec.user) problems.push(`${where}: ansible_user is required for WinRM`);
  if (spec.password === undefined) problems.push(`${where}: ansible_password is required for WinRM (${auth ?? 'ntlm'} authentication)`);

  let encrypt = false;
  if (auth === 'ntlm') encrypt = encryption === 'always' || (encryption === 'auto' && scheme === 'http');
  if (auth === 'basic' && scheme === 'http' && !bool('ansible_winrm_allow_unencrypted_basic', false)) {
    problems.push(
      `${where}: Basic authentication over plain HTTP would send the password and all traffic in clear text; ` +
        'use ansible_winrm_transport: ntlm (encrypted) or HTTPS, or set ansible_winrm_allow_unencrypted_basic: true if you really mean it',
    );
  }
  if (auth === 'basic' && encryption === 'always') {
    problems.push(`${where}: ansible_winrm_message_encryption: always needs ntlm (Basic cannot encrypt messages; use HTTPS)`);
  }
  const maxConcurrency = Math.floor(num('fleetplay_winrm_max_concurrency', 2));

  if (problems.length) throw new InvalidInputError(problems.map((message) => ({ message })));
  return {
    host: spec.address,
    port,
    scheme,
    path: str('ansible_winrm_path') ?? '/wsman',
    auth: auth!,
    user: spec.user!,
    password: spec.password!,
    encrypt,
    tls: { ca, rejectUnauthorized: validation === 'validate' },
    operationTimeoutSec,
    readTimeoutMs: readTimeoutSec * 1000,
    connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
    maxConcurrency: Math.max(1, maxConcurrency),
    ...(spec.trace ? { trace: spec.trace } : {}),
  };
}

/** ansible_winrm_transport may be a list (tried in order in Ansible): we take the first we support. */
function transportOf(raw: unknown, where: string, problems: string[]): 'ntlm' | 'basic' | undefined {
  if (raw === undefined || raw === null || raw === '') return 'ntlm';
  const list = (Array.isArray(raw) ? raw.map(String) : String(raw).split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const t of list) if (SUPPORTED[t]) return SUPPORTED[t];
  const later = list.filter((t) => LATER.includes(t));
  if (later.length) {
    problems.push(`${where}: ansible_winrm_transport '${later.join(', ')}' is not supported yet (fleetplay speaks ntlm and basic; Kerberos is planned)`);
  } else {
    const hint = didYouMean(list[0] ?? '', Object.keys(SUPPORTED));
    problems.push(`${where}: ansible_winrm_transport '${list.join(', ')}' is unknown (use ntlm or basic)${hint ? `; did you mean '${hint}'?` : ''}`);
  }
  return undefined;
}
