// How flags, ANSIBLE_* variables and ansible.cfg keys combine into the run's settings (Ansible's order:
// command line over environment over config over default), and the warning for keys fleetplay ignores.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/cli/ansible-config.js';
import { resolveSettings } from '../../src/cli/settings.js';

const cfg = (text: string) => ({ file: '/proj/ansible.cfg', entries: parseConfig(text, '/proj/ansible.cfg') });
const FULL = cfg(
  [
    '[defaults]',
    'inventory = hosts.ini, ~/more.yml',
    'remote_user = cfguser',
    'forks = 7',
    'timeout = 33',
    'host_key_checking = False',
    'vault_password_file = secret.txt',
    'vault_identity_list = dev@dev.txt, prod@prompt',
    'roles_path = roles:/opt/roles',
    'private_key_file = keys/id',
    'gathering = smart',
    '[privilege_escalation]',
    'become = yes',
    'become_user = app',
    'become_method = sudo',
    '[ssh_connection]',
    'ssh_args = -o ControlMaster=auto',
    'pipelining = True',
    'control_path = /tmp/x',
  ].join('\n'),
);

describe('resolveSettings', () => {
  it('has fleetplay defaults without config, environment or flags', () => {
    expect(resolveSettings({ inventory: [] }, { env: {}, cwd: '/w' })).toEqual({
      inventory: [],
      forks: 50,
      timeout: 10,
      vaultId: [],
      vaultPasswordFile: [],
      rolesPath: [],
      askPass: false,
      askBecomePass: false,
      connection: {},
    });
  });

  it('maps every honoured key, paths relative to the config file, and warns once per other key with file:line', () => {
    const warnings: string[] = [];
    const s = resolveSettings({ inventory: [] }, { env: { HOME: '/home/me' }, cwd: '/w', config: FULL, warn: (w) => warnings.push(w) });
    expect(s.inventory).toEqual(['/proj/hosts.ini', expect.stringMatching(/\/more\.yml$/)]);
    expect(s).toMatchObject({ forks: 7, timeout: 33, hostKeyChecking: 'off', vaultPasswordFile: ['/proj/secret.txt'], vaultId: ['dev@dev.txt', 'prod@prompt'], rolesPath: ['/proj/roles', '/opt/roles'] });
    expect(s.connection).toEqual({ user: 'cfguser', privateKeyFile: '/proj/keys/id', sshArgs: '-o ControlMaster=auto', become: true, becomeUser: 'app' });
    expect(warnings).toEqual([
      '/proj/ansible.cfg:11: [defaults] gathering is not used by fleetplay (ignored)',
      '/proj/ansible.cfg:19: [ssh_connection] control_path is not used by fleetplay (ignored)',
    ]);
  });

  it('puts environment variables over the config and flags over both', () => {
    const env = { ANSIBLE_FORKS: '3', ANSIBLE_REMOTE_USER: 'envuser', ANSIBLE_INVENTORY: 'web1,web2', ANSIBLE_BECOME: 'false', ANSIBLE_BECOME_USER: 'envapp' };
    const fromEnv = resolveSettings({ inventory: [] }, { env, cwd: '/w', config: FULL });
    expect(fromEnv).toMatchObject({ forks: 3, inventory: ['web1,web2'], connection: { user: 'envuser', become: false, becomeUser: 'envapp' } });
    const fromFlags = resolveSettings({ inventory: ['cli.ini'], forks: 2, user: 'cliuser', become: true, becomeUser: 'root', timeout: 5, hostKeyChecking: 'strict' }, { env, cwd: '/w', config: FULL });
    expect(fromFlags).toMatchObject({ forks: 2, timeout: 5, hostKeyChecking: 'strict', inventory: ['cli.ini'], connection: { user: 'cliuser', become: true, becomeUser: 'root' } });
  });

  it('adds configured vault identities before the command line ones and the configured file after', () => {
    const s = resolveSettings({ inventory: [], vaultId: ['x@x.txt'], vaultPasswordFile: ['cli.txt'] }, { env: { ANSIBLE_VAULT_PASSWORD_FILE: 'env.txt' }, cwd: '/w', config: FULL });
    expect(s.vaultId).toEqual(['dev@dev.txt', 'prod@prompt', 'x@x.txt']);
    expect(s.vaultPasswordFile).toEqual(['cli.txt', '/w/env.txt']);
  });

  it('refuses a become method other than sudo and a bad value, naming where it came from', () => {
    expect(() => resolveSettings({ inventory: [], becomeMethod: 'su' }, { env: {} })).toThrow("become method 'su' is not supported: fleetplay escalates with sudo only");
    expect(() => resolveSettings({ inventory: [] }, { env: { ANSIBLE_FORKS: 'many' } })).toThrow("ANSIBLE_FORKS: 'many' is not a positive integer");
    expect(() => resolveSettings({ inventory: [] }, { env: {}, config: cfg('[privilege_escalation]\n\nbecome = perhaps\n') })).toThrow("/proj/ansible.cfg:3: 'perhaps' is not a boolean (use true or false)");
  });
});
