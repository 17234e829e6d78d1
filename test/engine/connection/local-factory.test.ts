import { describe, expect, it } from 'vitest';
import { InvalidInputError, UnreachableError } from '../../../src/engine/contract/diagnostics.js';
import { connectionSpecFromVars, createConnectionFactory } from '../../../src/engine/connection/factory.js';
import { LocalConnection } from '../../../src/engine/connection/local.js';

describe('connectionSpecFromVars', () => {
  it('defaults to ssh at the inventory name', () => {
    expect(connectionSpecFromVars('node01', {})).toEqual({ name: 'node01', transport: 'ssh', address: 'node01', vars: {} });
  });

  it('treats localhost without ansible_connection as local', () => {
    expect(connectionSpecFromVars('localhost', {}).transport).toBe('local');
    expect(connectionSpecFromVars('localhost', { ansible_connection: 'ssh' }).transport).toBe('ssh');
  });

  it("reads Ansible's connection variables and their old ansible_ssh_* names", () => {
    const vars = { ansible_host: '198.18.0.5', ansible_port: '2222', ansible_user: 'azureuser', ansible_password: 's3cret' };
    expect(connectionSpecFromVars('n1', vars)).toMatchObject({ address: '198.18.0.5', port: 2222, user: 'azureuser', password: 's3cret' });
    const old = { ansible_ssh_host: '198.18.0.6', ansible_ssh_port: 22, ansible_ssh_user: 'u', ansible_ssh_pass: 'p' };
    expect(connectionSpecFromVars('n2', old)).toMatchObject({ address: '198.18.0.6', port: 22, user: 'u', password: 'p' });
  });

  it('maps winrm and the ssh synonyms', () => {
    expect(connectionSpecFromVars('w', { ansible_connection: 'winrm' }).transport).toBe('winrm');
    expect(connectionSpecFromVars('s', { ansible_connection: 'smart' }).transport).toBe('ssh');
    expect(connectionSpecFromVars('s', { ansible_connection: 'ansible.builtin.local' }).transport).toBe('local');
  });

  it('reports every bad value at once, with a suggestion, and never the password', () => {
    try {
      connectionSpecFromVars('n', { ansible_connection: 'shh', ansible_port: 'http', ansible_password: 'hunter2' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      const msg = (e as Error).message;
      expect(msg).toMatch(/ansible_connection 'shh' is not supported.*did you mean 'ssh'/);
      expect(msg).toMatch(/ansible_port 'http' is not a port number/);
      expect(msg).not.toContain('hunter2');
    }
  });
});

describe('createConnectionFactory', () => {
  const factory = createConnectionFactory({ connectTimeoutMs: 1000 });

  it('gives a working LocalConnection for local hosts', async () => {
    const c = factory(connectionSpecFromVars('localhost', {}));
    expect(c).toBeInstanceOf(LocalConnection);
    await c.connect();
    expect((await c.exec('echo ok')).stdout).toBe('ok\n');
    await c.close();
  });

  it('defers remote transports until connect, with the right shell', async () => {
    const ssh = factory(connectionSpecFromVars('n1', {}));
    expect([ssh.transport, ssh.shell]).toEqual(['ssh', 'posix']);
    const win = factory(connectionSpecFromVars('h1', { ansible_connection: 'winrm' }));
    expect([win.transport, win.shell]).toEqual(['winrm', 'powershell']);
    // Never connected: closing must not load or open anything.
    await ssh.close();
    await win.close();
  });

  it('loads the WinRM transport on connect and surfaces its UnreachableError', async () => {
    // Port 1 on loopback: nothing listens, so the real transport must fail fast and say so.
    const spec = connectionSpecFromVars('h1', { ansible_connection: 'winrm', ansible_host: '127.0.0.1', ansible_port: 1, ansible_user: 'u', ansible_password: 'p' });
    const c = factory(spec);
    await expect(c.connect().then(() => c.exec('echo hi'))).rejects.toBeInstanceOf(UnreachableError);
    await c.close();
  });
});
