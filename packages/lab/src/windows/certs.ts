// The lab's certificate authority and per-host WinRM HTTPS certificates, made with the openssl CLI:
// <dir>/ca.pem (+ ca-key.pem) and <dir>/<name>.pem (+ <name>-key.pem) whose SANs carry the host's
// name and addresses, so clients can validate HTTPS with the lab CA (ansible_winrm_ca_trust_path).

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LabCa {
  caCertPath: string;
  caKeyPath: string;
}

export interface HostCert {
  caCertPath: string;
  certPath: string;
  keyPath: string;
}

const pending = new Map<string, Promise<unknown>>();

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { env: { ...process.env, OPENSSL_CONF: '' } });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error('the lab needs the openssl command to make its certificates: apt-get install -y openssl');
    throw new Error(`openssl ${args[0]} failed: ${err.stderr?.trim() || err.message}`);
  }
}

function once<T>(key: string, make: () => Promise<T>): Promise<T> {
  const existing = pending.get(key) as Promise<T> | undefined;
  if (existing) return existing;
  const p = make().finally(() => pending.delete(key));
  pending.set(key, p);
  return p;
}

/** Creates the lab CA in `dir` unless it is already there. */
export function ensureLabCa(dir: string): Promise<LabCa> {
  const caCertPath = join(dir, 'ca.pem');
  const caKeyPath = join(dir, 'ca-key.pem');
  return once(`ca:${dir}`, async () => {
    if (existsSync(caCertPath) && existsSync(caKeyPath)) return { caCertPath, caKeyPath };
    await mkdir(dir, { recursive: true });
    await openssl(['req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', caKeyPath,
      '-out', caCertPath, '-days', '3650', '-subj', '/CN=fleetplay lab CA', '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    return { caCertPath, caKeyPath };
  });
}

/** A server certificate for one host, signed by the lab CA, valid for its name and addresses. */
export function ensureHostCert(dir: string, name: string, addresses: string[]): Promise<HostCert> {
  const certPath = join(dir, `${name}.pem`);
  const keyPath = join(dir, `${name}-key.pem`);
  return once(`host:${dir}:${name}`, async () => {
    const { caCertPath, caKeyPath } = await ensureLabCa(dir);
    if (existsSync(certPath) && existsSync(keyPath)) return { caCertPath, certPath, keyPath };
    const csr = join(dir, `${name}.csr`);
    const ext = join(dir, `${name}.ext`);
    const sans = [...new Set([name, name.toLowerCase(), 'localhost', ...addresses])]
      .map((a) => (isIP(a) ? `IP:${a}` : `DNS:${a}`));
    if (!addresses.includes('127.0.0.1')) sans.push('IP:127.0.0.1');
    await writeFile(ext, ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth',
      `subjectAltName=${sans.join(',')}`].join('\n') + '\n');
    await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', csr, '-subj', `/CN=${name}`]);
    await openssl(['x509', '-req', '-in', csr, '-CA', caCertPath, '-CAkey', caKeyPath, '-set_serial', `0x${Date.now().toString(16)}${Math.floor(Math.random() * 1e6).toString(16)}`,
      '-days', '825', '-sha256', '-extfile', ext, '-out', certPath]);
    await rm(csr, { force: true });
    await rm(ext, { force: true });
    return { caCertPath, certPath, keyPath };
  });
}
