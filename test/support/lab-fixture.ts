// Shared by the SSH tests: a real lab in a fresh temp directory, and connection specs for its hosts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionSpec } from '../../src/engine/contract/connection.js';
import { labDown, type LabHost, type LabInfo, labUp, type LabUpOptions } from '@fleetplay/lab';

export interface TestLab {
  info: LabInfo;
  dir: string;
  host(name: string): LabHost;
  /** A spec that reaches `name` as the lab's login user with the lab key and known_hosts. */
  spec(name: string, vars?: Record<string, unknown>, user?: string): ConnectionSpec;
  down(): Promise<void>;
}

export async function startLab(opts: Omit<LabUpOptions, 'dir'>): Promise<TestLab> {
  const parent = await mkdtemp(join(tmpdir(), 'fleetplay-ssh-test-'));
  const dir = join(parent, 'lab');
  const info = await labUp({ ...opts, dir });
  const host = (name: string) => {
    const h = info.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no lab host ${name}`);
    return h;
  };
  return {
    info,
    dir,
    host,
    spec: (name, vars = {}, user = info.users.login) => ({
      name,
      transport: 'ssh',
      address: host(name).address,
      user,
      vars: {
        ansible_ssh_private_key_file: info.files.clientKey,
        ansible_ssh_common_args: `-o UserKnownHostsFile=${info.files.knownHosts}`,
        ...vars,
      },
    }),
    down: async () => {
      await labDown(dir);
      await rm(parent, { recursive: true, force: true });
    },
  };
}
