// The settings one run uses, read once per process: ansible.cfg's warnings print once even when
// plan or apply resolve the settings before the run does; the connection passwords (-k, -K) are
// asked once, before the vault passwords, as ansible-playbook asks them.
import type { ConnectionDefaults } from '../engine/run/options.js';
import { findConfigFile, readConfigFile, type AnsibleConfig } from './ansible-config.js';
import { redactor } from './secrets.js';
import { passwordFromFile, resolveSettings, type Settings, type SettingsFlags } from './settings.js';
import { promptPassword } from './vault-passwords.js';

let config: { value: AnsibleConfig | undefined } | undefined;
const warned = new Set<string>();

function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`[WARNING]: ${message}\n`);
}

export function ansibleConfig(): AnsibleConfig | undefined {
  if (!config) {
    const found = findConfigFile();
    if (found.warning) warnOnce(found.warning);
    config = { value: found.file ? readConfigFile(found.file) : undefined };
  }
  return config.value;
}

export function effectiveSettings(flags: SettingsFlags): Settings {
  return resolveSettings(flags, { config: ansibleConfig(), warn: warnOnce });
}

type Prompt = (text: string) => Promise<Buffer>;

/** The connection defaults with their passwords, which become secrets the moment they are known. */
export async function connectionDefaults(s: Settings, prompt: Prompt = (t) => promptPassword(t)): Promise<ConnectionDefaults> {
  const out: ConnectionDefaults = { ...s.connection };
  let sshPass: string | undefined;
  if (s.askPass) sshPass = (await prompt('SSH password: ')).toString('utf8');
  else if (s.connectionPasswordFile) sshPass = passwordFromFile(s.connectionPasswordFile, '--connection-password-file');
  let becomePass: string | undefined;
  if (s.askBecomePass) {
    becomePass = (await prompt(s.askPass ? 'BECOME password[defaults to SSH password]: ' : 'BECOME password: ')).toString('utf8');
    // An empty answer means "the same as the SSH password", as ansible-playbook takes it.
    if (becomePass === '' && s.askPass) becomePass = sshPass;
  } else if (s.becomePasswordFile) becomePass = passwordFromFile(s.becomePasswordFile, '--become-password-file');
  if (sshPass) {
    redactor.add([sshPass]);
    out.password = sshPass;
  }
  if (becomePass) {
    redactor.add([becomePass]);
    out.becomePassword = becomePass;
  }
  return out;
}
