// ProxyJump through the lab's bastion to hosts on its isolated segment, from inventory arguments
// and from an OpenSSH client config.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../../src/engine/contract/diagnostics.js';
import { connectionSpecFromVars, createConnectionFactory } from '../../../../src/engine/connection/factory.js';
import { SshConnection } from '../../../../src/engine/connection/ssh/index.js';
import { startLab, type TestLab } from '../../../support/lab-fixture.js';

const run = promisify(execFile);
const opts = { sshConfigFile: '/dev/null' };
let lab: TestLab;

beforeAll(async () => {
  lab = await startLab({ linux: 1, bastion: true, isolated: 2 });
});

afterAll(async () => {
  await lab?.down();
});

const bastion = () => lab.host('bastion');

async function hostname(c: SshConnection): Promise<string> {
  try {
    return (await c.exec('hostname')).stdout.trim();
  } finally {
    await c.close();
  }
}

/** Established controller connections to the bastion's SSH port. */
async function bastionConnections(): Promise<number> {
  const { stdout } = await run('ss', ['-Htn', 'state', 'established', 'dst', `${bastion().address}:22`]);
  return stdout.split('\n').filter(Boolean).length;
}

describe('ProxyJump', () => {
  it('isolated hosts cannot be reached directly', async () => {
    const err = await new SshConnection(lab.spec('iso-01'), { ...opts, connectTimeoutMs: 1500 }).connect().catch((e: Error) => e);
    expect(err).toBeInstanceOf(UnreachableError);
  });

  it('reaches an isolated host with -o ProxyJump=user@bastion from the inventory', async () => {
    const args = `-o UserKnownHostsFile=${lab.info.files.knownHosts} -o ProxyJump=fleet@${bastion().address}`;
    expect(await hostname(new SshConnection(lab.spec('iso-01', { ansible_ssh_common_args: args }), opts))).toBe('iso-01');
  });

  it('reaches it with -J in ansible_ssh_extra_args, through two hops', async () => {
    const hops = `fleet@${bastion().address},fleet@${bastion().addresses[1]}:22`;
    const c = new SshConnection(lab.spec('iso-02', { ansible_ssh_extra_args: `-J ${hops}` }), opts);
    expect(await hostname(c)).toBe('iso-02');
  });

  it('reaches hosts by name through the lab ssh_config (HostName, User, IdentityFile, ProxyJump)', async () => {
    const viaRunOption = new SshConnection({ name: 'iso-01', transport: 'ssh', address: 'iso-01', vars: {} }, { sshConfigFile: lab.info.files.sshConfig });
    expect(await hostname(viaRunOption)).toBe('iso-01');
    const viaF = new SshConnection({ name: 'iso-02', transport: 'ssh', address: 'iso-02', vars: { ansible_ssh_common_args: `-F ${lab.info.files.sshConfig}` } }, opts);
    expect(await hostname(viaF)).toBe('iso-02');
  });

  it('shares one bastion connection between hosts behind it and drops it when they close', async () => {
    const args = { ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.info.files.knownHosts} -J fleet@${bastion().address}` };
    const a = new SshConnection(lab.spec('iso-01', args), opts);
    const b = new SshConnection(lab.spec('iso-02', args), opts);
    await Promise.all([a.connect(), b.connect()]);
    expect((await Promise.all([a.exec('hostname'), b.exec('hostname')])).map((r) => r.stdout)).toEqual(['iso-01\n', 'iso-02\n']);
    expect(await bastionConnections()).toBe(1);
    await Promise.all([a.close(), b.close()]);
    for (let i = 0; i < 50 && (await bastionConnections()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await bastionConnections()).toBe(0);
  });

  it('says when the jump host cannot reach the target, and when the jump host itself is unreachable', async () => {
    const kh = `-o UserKnownHostsFile=${lab.info.files.knownHosts}`;
    const noPort = new SshConnection({ ...lab.spec('iso-01', { ansible_ssh_common_args: `${kh} -J fleet@${bastion().address}` }), port: 2222 }, opts);
    const e1 = await noPort.connect().catch((e: Error) => e);
    expect(e1).toBeInstanceOf(UnreachableError);
    expect(e1!.message).toMatch(/ssh fleet@198\.18\.\d+\.\d+:2222: the jump host fleet@198\.18\.\d+\.2 could not connect to it \(Channel open failure: Connection refused\)/);
    const badJump = new SshConnection(lab.spec('iso-01', { ansible_ssh_common_args: `${kh} -J fleet@${bastion().address}:2200` }), opts);
    const e2 = await badJump.connect().catch((e: Error) => e);
    expect(e2).toBeInstanceOf(UnreachableError);
    expect(e2!.message).toMatch(/ssh fleet@198\.18\.\d+\.2:2200: connection refused/);
  });
});

describe('from the lab inventory through the connection factory', () => {
  it('reaches main and isolated hosts with nothing but the inventory variables', async () => {
    const inv = parse(await readFile(lab.info.files.inventoryYaml, 'utf8')) as { all: { vars: Record<string, unknown>; children: { linux: { hosts: Record<string, Record<string, unknown>> } } } };
    const factory = createConnectionFactory({});
    for (const name of ['linux-01', 'iso-02']) {
      const c = factory(connectionSpecFromVars(name, { ...inv.all.vars, ...inv.all.children.linux.hosts[name] }));
      try {
        expect((await c.exec('hostname')).stdout).toBe(`${name}\n`);
        expect(c.transport).toBe('ssh');
      } finally {
        await c.close();
      }
    }
  });
});
