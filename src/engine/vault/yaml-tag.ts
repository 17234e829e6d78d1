// Ansible's inline vault values: `password: !vault |` followed by an envelope. The tag only marks the
// scalar while YAML is composed (no position is known there); the YAML walk that knows the position
// opens it, so a wrong password names the file, line and column of the value.
import type { ScalarTag } from 'yaml';

export class VaultedScalar {
  constructor(readonly envelope: string) {}
}

export const vaultTag: ScalarTag = {
  tag: '!vault',
  resolve: (str: string) => new VaultedScalar(str) as unknown as string,
  identify: (v: unknown) => v instanceof VaultedScalar,
  stringify: (item) => (item.value as VaultedScalar).envelope,
};
