// Client authentication: key files (ed25519, ECDSA, RSA; encrypted ones decrypted once per process
// and cached by path + passphrase, since key derivation costs 0.5–1 s), then ssh-agent, then the
// password (password and keyboard-interactive). The attempts become an ssh2 authHandler that skips
// methods the server does not offer. Notes collected on the way explain a final failure.
import { createHash } from 'node:crypto';
import { fileVersionCache } from './file-versions.js';
import ssh2, { type AuthenticationType, type AuthHandlerMiddleware, type NextAuthHandler, type ParsedKey } from 'ssh2';
import type { SshEndpoint } from './settings.js';

type Attempt =
  | { type: 'publickey'; key: ParsedKey; label: string }
  | { type: 'agent'; agent: string; label: string }
  | { type: 'password'; password: string; label: string }
  | { type: 'keyboard-interactive'; password: string; label: string };

export interface AuthPlan {
  attempts: Attempt[];
  /** Why some identities were not usable (missing file, encrypted without passphrase, …). */
  notes: string[];
}

const keyFiles = fileVersionCache<ParsedKey | Error>();

/** Parsed (and decrypted) key, cached process-wide per file version and passphrase. */
function loadKey(path: string, passphrase: string | undefined): Promise<ParsedKey | Error | undefined> {
  return keyFiles(
    path,
    (data) => {
      const parsed = ssh2.utils.parseKey(data, passphrase);
      const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
      if (!(key instanceof Error) && !key.isPrivateKey()) return new Error('not a private key');
      return key;
    },
    {
      variant: passphrase === undefined ? '-' : createHash('sha256').update(passphrase).digest('hex'),
      unreadable: (e) => {
        throw e;
      },
    },
  );
}

function explainKeyError(path: string, e: Error, hasPassphrase: boolean): string {
  if (/encrypted/i.test(e.message) && /passphrase/i.test(e.message) && !hasPassphrase) {
    return `${path} is encrypted: set ansible_ssh_private_key_passphrase or load the key into ssh-agent`;
  }
  if (/decrypt|bad passphrase|integrity/i.test(e.message)) return `${path}: the passphrase does not decrypt it`;
  return `${path}: ${e.message}`;
}

export async function planAuth(ep: SshEndpoint): Promise<AuthPlan> {
  const attempts: Attempt[] = [];
  const notes: string[] = [];
  const loaded = await Promise.all(ep.identityFiles.map((f) => loadKey(f.path, ep.keyPassphrase).then((key) => ({ f, key }))));
  for (const { f, key } of loaded) {
    if (key === undefined) {
      if (f.explicit) notes.push(`identity file ${f.path} not found`);
    } else if (key instanceof Error) {
      notes.push(explainKeyError(f.path, key, ep.keyPassphrase !== undefined));
    } else {
      attempts.push({ type: 'publickey', key, label: `key ${f.path}` });
    }
  }
  const usableKeys = attempts.length;
  // IdentitiesOnly keeps the agent out unless none of the listed files could be used.
  if (ep.agent && (!ep.identitiesOnly || usableKeys === 0)) attempts.push({ type: 'agent', agent: ep.agent, label: 'ssh-agent' });
  if (ep.password !== undefined) {
    attempts.push({ type: 'password', password: ep.password, label: 'password' });
    attempts.push({ type: 'keyboard-interactive', password: ep.password, label: 'keyboard-interactive' });
  }
  return { attempts, notes };
}

/** An ssh2 authHandler walking the plan; `tried` records what was offered, for the error message. */
export function authHandler(plan: AuthPlan, user: string, tried: string[]): AuthHandlerMiddleware {
  let next = 0;
  return (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, callback: NextAuthHandler) => {
    while (next < plan.attempts.length) {
      const a = plan.attempts[next++]!;
      if (methodsLeft && !methodsLeft.includes(a.type === 'agent' ? 'publickey' : a.type)) continue;
      tried.push(a.label);
      switch (a.type) {
        case 'publickey':
          return callback({ type: 'publickey', username: user, key: a.key });
        case 'agent':
          return callback({ type: 'agent', username: user, agent: a.agent });
        case 'password':
          return callback({ type: 'password', username: user, password: a.password });
        case 'keyboard-interactive':
          return callback({
            type: 'keyboard-interactive',
            username: user,
            // Every prompt gets the password: servers ask "Password:" here when PAM drives it.
            prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => a.password)),
          });
      }
    }
    return callback(false as unknown as Parameters<NextAuthHandler>[0]);
  };
}
