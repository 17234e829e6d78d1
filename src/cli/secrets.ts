// The run's secrets, gathered before anything is printed (see engine/report/redact.ts for what counts
// as secret). One Redactor per process: reporters mask events with it and the CLI's error printer
// masks messages with it, so a secret that reaches an exception message is masked there too.
import type { Inventory } from '../engine/contract/inventory.js';
import type { Playbook, VarBlock } from '../engine/contract/playbook.js';
import type { Templater, VarLayer } from '../engine/contract/template.js';
import { isSecretName, Redactor, secretValues } from '../engine/report/index.js';
import { onVaultReveal } from '../engine/vault/index.js';

export const redactor = new Redactor();
// What a vault reveals is a secret wherever it shows up, debug output included (see README "Vault").
onVaultReveal((values) => redactor.add(values));

export interface SecretSources {
  inventory: Inventory;
  extraVars: VarBlock;
  playbook: Playbook;
  templater: Templater;
}

/**
 * Adds every secret-named variable's value. A templated value (`ansible_password: "{{ vault_pw }}"`)
 * is rendered with the host's inventory vars and the extra vars; one that cannot be rendered yet
 * (it needs facts or registered results) is skipped — its parts, if secret-named, are collected anyway.
 */
export function collectSecrets(s: SecretSources): void {
  const extra: VarLayer = { name: 'extra vars', vars: s.extraVars.vars, trusted: true };
  const playVars = s.playbook.plays.flatMap((p) => [p.vars, ...p.varsFiles]).map((b) => b.vars);
  for (const vars of [s.extraVars.vars, ...playVars]) addRendered(vars, [extra], s.templater);
  for (const host of s.inventory.hosts.keys()) {
    const hostVars = s.inventory.hostVars(host);
    addRendered(hostVars, [{ name: 'inventory', vars: hostVars, trusted: true }, extra], s.templater);
  }
}

function addRendered(vars: Record<string, unknown>, layers: VarLayer[], templater: Templater): void {
  for (const [name, value] of Object.entries(vars)) {
    const raw = secretValues({ [name]: value });
    if (raw.length === 0) continue;
    const plain = raw.filter((v) => !templater.isTemplated(v));
    redactor.add(plain);
    if (plain.length === raw.length || !isSecretName(name)) continue;
    try {
      redactor.add(secretValues({ [name]: templater.render(value, layers, { file: 'vars', line: 1, col: 1 }) }));
    } catch {
      // Not renderable before the run (needs facts); a value it yields later comes from variables
      // that are themselves collected when secret-named.
    }
  }
}
