// Which variable names hold secrets: one rule for the redactor (report layer) and for anything that
// quotes source text before the run's secrets are known (a YAML syntax error's excerpt).
const SECRET_NAME = /password|passwd|passphrase|secret|token|api_?key|private_key|(^|_)(pass|pw)$/i;
// A name for where a secret is kept (`ansible_ssh_private_key_file`, `vault_password_file`) holds a
// path, which users need to see in -vvv output and errors; masking every mention of it would hide
// which key was tried.
const LOCATION_NAME = /_(file|path|dir)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !LOCATION_NAME.test(name);
}

/** A source line with the value of a secret-named `key:` (or any vault text) masked. */
export function maskSecretLine(line: string): string {
  if (line.includes('$ANSIBLE_VAULT')) return line.replace(/\$ANSIBLE_VAULT.*/, '********');
  const m = /^(\s*-?\s*["']?([\w.-]+)["']?\s*[:=]\s*)(\S.*)$/.exec(line);
  return m && isSecretName(m[2]!) ? `${m[1]}********` : line;
}
