import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSshArgs, shellSplit } from '../../../../src/engine/connection/ssh/args.js';
import { resolveEndpoint, parseJump } from '../../../../src/engine/connection/ssh/settings.js';
import { expandTokens, loadSshConfig, lookupSshConfig, parseSshConfig, tokenizeConfigLine } from '../../../../src/engine/connection/ssh/ssh-config.js';

let dir: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetplay-sshcfg-'));
  config = join(dir, 'config');
  await writeFile(join(dir, 'extra.conf'), 'Host included\n  HostName 10.9.9.9\n');
  await writeFile(
    config,
    [
      '# comment',
      `Include ${join(dir, 'extra*.conf')}`,
      'Host hpc-* !hpc-login',
      '    HostName %h.cluster.internal',
      '    User azureuser',
      '    ProxyJump jump@bastion.example:2200',
      '    IdentityFile ~/.ssh/hpc_key',
      'Host hpc-login',
      '    HostName 203.0.113.5',
      'Host bastion.example',
      '    IdentityFile /keys/bastion',
      '    StrictHostKeyChecking accept-new',
      'Match host hpc-9*',
      '    Port 2222',
      'Host *',
      '    User=fallback',
      '    IdentityFile "/keys/with space"',
      '    UserKnownHostsFile /kh/one /kh/two',
      '    ServerAliveInterval 7',
      '',
    ].join('\n'),
  );
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('ssh config', () => {
  it('tokenizes Key value, Key=value and quoted arguments', () => {
    expect(tokenizeConfigLine('User=fleet')).toEqual(['User', 'fleet']);
    expect(tokenizeConfigLine('IdentityFile "/a b/c"')).toEqual(['IdentityFile', '/a b/c']);
    expect(() => parseSshConfig('Host "x', 'cfg')).toThrow('cfg:1:1: unterminated quote');
  });

  it('takes the first value per option and accumulates IdentityFile, honouring negation and Match', async () => {
    const lines = await loadSshConfig(config);
    const o = lookupSshConfig(lines, 'hpc-9');
    expect(o.get('hostname')).toEqual(['%h.cluster.internal']);
    expect(o.get('user')).toEqual(['azureuser']);
    expect(o.get('port')).toEqual(['2222']);
    expect(o.get('identityfile')).toEqual(['~/.ssh/hpc_key', '/keys/with space']);
    expect(o.get('userknownhostsfile')).toEqual(['/kh/one', '/kh/two']);
    const login = lookupSshConfig(lines, 'hpc-login');
    expect(login.get('hostname')).toEqual(['203.0.113.5']);
    expect(login.get('user')).toEqual(['fallback']);
    expect(login.get('proxyjump')).toBeUndefined();
    expect(lookupSshConfig(lines, 'included').get('hostname')).toEqual(['10.9.9.9']);
  });

  it('expands percent tokens and ~', () => {
    const ctx = { host: 'h.example', originalHost: 'h', port: 2200, user: 'u' };
    expect(expandTokens('%h-%n-%p-%r-%%', ctx)).toBe('h.example-h-2200-u-%');
    expect(expandTokens('~/.ssh/x', ctx)).toMatch(/\/\.ssh\/x$/);
  });
});

describe('ssh arguments from inventory variables', () => {
  it('splits like a shell', () => {
    expect(shellSplit(`-o ProxyCommand="ssh -W %h:%p bastion" -o 'User=a b' x\\ y`)).toEqual(['-o', 'ProxyCommand=ssh -W %h:%p bastion', '-o', 'User=a b', 'x y']);
  });

  it('reads -o, -J, -i, -p, -l, -F with the first value winning', () => {
    const p = parseSshArgs([
      { text: '-o ProxyJump=ops@jump:2200 -oStrictHostKeyChecking=accept-new -i /k/one -q', where: 'common' },
      { text: '-J other -o "UserKnownHostsFile /a /b" -i /k/two -p 2201 -l root -F /cfg -o ControlMaster=auto', where: 'extra' },
    ]);
    expect(p.options.get('proxyjump')).toEqual(['ops@jump:2200']);
    expect(p.options.get('stricthostkeychecking')).toEqual(['accept-new']);
    expect(p.options.get('identityfile')).toEqual(['/k/one', '/k/two']);
    expect(p.options.get('userknownhostsfile')).toEqual(['/a', '/b']);
    expect(p.options.get('port')).toEqual(['2201']);
    expect(p.options.get('user')).toEqual(['root']);
    expect(p.configFile).toBe('/cfg');
  });

  it('rejects malformed arguments with the variable named', () => {
    expect(() => parseSshArgs([{ text: '-o', where: "host 'a': ansible_ssh_common_args" }])).toThrow("host 'a': ansible_ssh_common_args: -o needs a value");
    expect(() => parseSshArgs([{ text: 'bastion', where: 'v' }])).toThrow("v: unexpected argument 'bastion'");
    expect(() => parseSshArgs([{ text: "-o 'x", where: 'v' }])).toThrow('v: unterminated single quote');
  });

  it('parses ProxyJump hops', () => {
    expect(parseJump('ops@jump:2200')).toEqual({ user: 'ops', host: 'jump', port: 2200 });
    expect(parseJump('ssh://jump')).toEqual({ user: undefined, host: 'jump', port: undefined });
    expect(parseJump('a@[fd00::1]:22')).toEqual({ user: 'a', host: 'fd00::1', port: 22 });
  });
});

describe('endpoint resolution (inventory vars > ssh args > ssh config)', () => {
  const spec = (address: string, vars: Record<string, unknown> = {}, extra: { user?: string; port?: number; password?: string } = {}) => ({
    name: address,
    transport: 'ssh' as const,
    address,
    vars,
    ...extra,
  });

  it('resolves HostName, User, Port, identities, known_hosts and a ProxyJump chain from the config', async () => {
    const ep = await resolveEndpoint(spec('hpc-9'), { sshConfigFile: config });
    expect(ep).toMatchObject({ host: 'hpc-9.cluster.internal', port: 2222, user: 'azureuser', keepaliveIntervalMs: 7000 });
    expect(ep.identityFiles.map((f) => f.path)).toEqual([expect.stringMatching(/\/\.ssh\/hpc_key$/), '/keys/with space']);
    expect(ep.hostKeys).toMatchObject({ policy: 'strict', userFiles: ['/kh/one', '/kh/two'], names: ['[hpc-9.cluster.internal]:2222'] });
    expect(ep.jumps.map((j) => j.label)).toEqual(['jump@bastion.example:2200']);
    // The jump host has its own config block (identity, accept-new) and also gets the target's keys.
    expect(ep.jumps[0]!.identityFiles.map((f) => f.path)).toEqual(['/keys/bastion', '/keys/with space', expect.stringMatching(/hpc_key$/)]);
    expect(ep.jumps[0]!.hostKeys.policy).toBe('accept-new');
  });

  it('lets inventory variables and ssh args override the config', async () => {
    const ep = await resolveEndpoint(
      spec('hpc-9', { ansible_ssh_private_key_file: '/inv/key', ansible_ssh_common_args: '-o ProxyJump=none -o StrictHostKeyChecking=no -p 9' }, { user: 'inv', port: 2022 }),
      { sshConfigFile: config },
    );
    expect(ep).toMatchObject({ port: 2022, user: 'inv', jumps: [] });
    expect(ep.identityFiles[0]!).toEqual({ path: '/inv/key', explicit: true });
    expect(ep.hostKeys.policy).toBe('off');
  });

  it('applies host_key_checking vars over everything, and the run option over args', async () => {
    const off = await resolveEndpoint(spec('x', { ansible_ssh_host_key_checking: false, ansible_ssh_common_args: '-o StrictHostKeyChecking=yes' }), { sshConfigFile: '/dev/null' });
    expect(off.hostKeys.policy).toBe('off');
    const run = await resolveEndpoint(spec('x', { ansible_ssh_common_args: '-o StrictHostKeyChecking=yes' }), { sshConfigFile: '/dev/null', hostKeyChecking: 'accept-new' });
    expect(run.hostKeys.policy).toBe('accept-new');
    const def = await resolveEndpoint(spec('x'), { sshConfigFile: '/dev/null' });
    expect(def.hostKeys.policy).toBe('strict');
    process.env.ANSIBLE_HOST_KEY_CHECKING = 'False';
    try {
      expect((await resolveEndpoint(spec('x'), { sshConfigFile: '/dev/null' })).hostKeys.policy).toBe('off');
    } finally {
      delete process.env.ANSIBLE_HOST_KEY_CHECKING;
    }
    expect(def.identityFiles.every((f) => !f.explicit)).toBe(true);
  });

  it('builds multi-hop chains: later hops are reached through earlier ones', async () => {
    const ep = await resolveEndpoint(spec('10.1.2.3', { ansible_ssh_common_args: '-J a@hop1,b@hop2:2022' }), { sshConfigFile: '/dev/null' });
    expect(ep.jumps.map((j) => j.label)).toEqual(['a@hop1', 'b@hop2:2022']);
    expect(ep.jumps.every((j) => j.jumps.length === 0)).toBe(true);
  });

  it('says clearly that ProxyCommand is not supported', async () => {
    await expect(resolveEndpoint(spec('x', { ansible_ssh_common_args: '-o ProxyCommand="ssh -W %h:%p b"' }), { sshConfigFile: '/dev/null' })).rejects.toThrow(/ProxyCommand is not supported.*use ProxyJump/);
  });
});
