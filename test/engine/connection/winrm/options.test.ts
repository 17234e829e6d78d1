// Inventory vars → WinRM settings, under Ansible's names, with clear errors for what we refuse.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { winrmSettings } from '../../../../src/engine/connection/winrm/options.js';
import type { ConnectionSpec } from '../../../../src/engine/contract/connection.js';
import { InvalidInputError } from '../../../../src/engine/contract/diagnostics.js';

const spec = (vars: Record<string, unknown>, extra: Partial<ConnectionSpec> = {}): ConnectionSpec => ({
  name: 'hv01',
  transport: 'winrm',
  address: '198.18.0.10',
  user: 'Administrator',
  password: 'Sup3r$ecret',
  vars,
  ...extra,
});

const problems = (s: ConnectionSpec): string => {
  try {
    winrmSettings(s);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    return (e as Error).message;
  }
  throw new Error('expected an InvalidInputError');
};

describe('winrmSettings', () => {
  it('defaults like Ansible: port 5986 over HTTPS with NTLM, certificates validated', () => {
    const s = winrmSettings(spec({}));
    expect(s).toMatchObject({ port: 5986, scheme: 'https', path: '/wsman', auth: 'ntlm', encrypt: false, operationTimeoutSec: 20, readTimeoutMs: 30_000 });
    expect(s.tls.rejectUnauthorized).toBe(true);
  });

  it('port 5985 means HTTP, and NTLM over HTTP is sealed', () => {
    expect(winrmSettings(spec({}, { port: 5985 }))).toMatchObject({ scheme: 'http', encrypt: true });
    expect(winrmSettings(spec({ ansible_winrm_scheme: 'http' }, { port: 8080 }))).toMatchObject({ scheme: 'http', encrypt: true });
    expect(winrmSettings(spec({ ansible_winrm_message_encryption: 'always' }))).toMatchObject({ scheme: 'https', encrypt: true });
    expect(winrmSettings(spec({ ansible_winrm_message_encryption: 'never' }, { port: 5985 }))).toMatchObject({ encrypt: false });
  });

  it('reads the CA file and honours validation: ignore', () => {
    const dir = mkdtempSync(join(tmpdir(), 'winrm-opt-'));
    writeFileSync(join(dir, 'ca.pem'), 'PEM');
    const s = winrmSettings(spec({ ansible_winrm_ca_trust_path: join(dir, 'ca.pem'), ansible_winrm_server_cert_validation: 'ignore' }));
    expect(s.tls).toEqual({ ca: Buffer.from('PEM'), rejectUnauthorized: false });
    expect(problems(spec({ ansible_winrm_ca_trust_path: join(dir, 'missing.pem') }))).toMatch(/ansible_winrm_ca_trust_path '.*missing.pem' cannot be read \(ENOENT\)/);
  });

  it('refuses Basic over plain HTTP unless explicitly allowed', () => {
    expect(problems(spec({ ansible_winrm_transport: 'basic' }, { port: 5985 }))).toMatch(/Basic authentication over plain HTTP .* ansible_winrm_allow_unencrypted_basic: true/);
    expect(winrmSettings(spec({ ansible_winrm_transport: 'basic', ansible_winrm_allow_unencrypted_basic: 'yes' }, { port: 5985 }))).toMatchObject({ auth: 'basic', scheme: 'http', encrypt: false });
    expect(winrmSettings(spec({ ansible_winrm_transport: 'basic' }))).toMatchObject({ auth: 'basic', scheme: 'https' });
  });

  it('kerberos and credssp are "not supported yet"; a list picks the first supported', () => {
    expect(problems(spec({ ansible_winrm_transport: 'kerberos' }))).toMatch(/'kerberos' is not supported yet .*Kerberos is planned/);
    expect(problems(spec({ ansible_winrm_transport: 'credssp' }))).toMatch(/not supported yet/);
    expect(winrmSettings(spec({ ansible_winrm_transport: ['kerberos', 'ntlm'] })).auth).toBe('ntlm');
    expect(problems(spec({ ansible_winrm_transport: 'ntml' }))).toMatch(/did you mean 'ntlm'/);
  });

  it('timeouts: read must exceed operation; connection_timeout sets both', () => {
    expect(problems(spec({ ansible_winrm_operation_timeout_sec: 30, ansible_winrm_read_timeout_sec: 30 }))).toMatch(/must exceed/);
    expect(winrmSettings(spec({ ansible_winrm_connection_timeout: 5 }))).toMatchObject({ operationTimeoutSec: 5, readTimeoutMs: 15_000 });
    expect(problems(spec({ ansible_winrm_read_timeout_sec: 'soon' }))).toMatch(/positive number of seconds/);
  });

  it('needs a user and password, and never echoes the password', () => {
    const msg = problems(spec({ ansible_winrm_transport: 'kerberos', ansible_winrm_scheme: 'ftp' }, { user: undefined }));
    expect(msg).toMatch(/ansible_user is required/);
    expect(msg).toMatch(/ansible_winrm_scheme must be one of http, https/);
    expect(msg).not.toContain('Sup3r$ecret');
    expect(problems(spec({}, { password: undefined }))).toMatch(/ansible_password is required/);
  });
});
