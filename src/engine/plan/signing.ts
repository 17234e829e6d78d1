// Optional signatures of saved plans (Ed25519 through node:crypto), so a pipeline can require that
// what it applies is a plan someone approved. The signature covers the canonical JSON of the plan
// without its `signature` (and without `summary`, which show adds).
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { canonicalPlanText } from './codec.js';
import type { SavedPlan } from './saved-plan.js';

function signedText(plan: SavedPlan): Buffer {
  const { signature: _s, summary: _m, ...rest } = plan;
  return Buffer.from(canonicalPlanText(rest));
}

export function signPlan(plan: SavedPlan, privateKeyPem: string): SavedPlan {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the signing key is ${key.asymmetricKeyType}, not ed25519`);
  return { ...plan, signature: sign(null, signedText(plan), key).toString('base64') };
}

/** undefined when the signature is good; otherwise why not. */
export function checkSignature(plan: SavedPlan, publicKeyPem: string): string | undefined {
  const key = createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') return `the verification key is ${key.asymmetricKeyType}, not ed25519`;
  if (!plan.signature) return 'the plan is not signed';
  const ok = verify(null, signedText(plan), key, Buffer.from(plan.signature, 'base64'));
  return ok ? undefined : 'the signature does not match the plan (it was changed after signing, or signed with another key)';
}
