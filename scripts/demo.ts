// `npm run demo` (a developer's try-it tool, so it lives in scripts/): the main job on a real lab.
// Installs what the lab needs, starts Ubuntu and RHEL hosts that look like Azure HPC VMs (with a MOFED
// mirror) and two Hyper-V hosts, runs the InfiniBand playbook in check mode with diffs, then for real,
// then again (nothing to do), runs the GPU partitioning playbook the same way, and tears the lab down
// whatever happened.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labUp } from '@fleetplay/lab';
import { main } from '../src/cli/main.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const say = (s: string) => process.stdout.write(`\n\x1b[1m== ${s}\x1b[0m\n`);

execFileSync('bash', [join(root, 'scripts/prereqs.sh')], { stdio: 'inherit' });
const dir = await mkdtemp(join(tmpdir(), 'fleetplay-demo-'));
let worst = 0;
try {
  say('lab up: 2 Ubuntu 22.04 + 2 RHEL 8.6 HPC VMs, 2 Windows Server 2025 Hyper-V hosts');
  const lab = await labUp({ dir: join(dir, 'lab'), linux: 4, windows: 2, distros: ['ubuntu22.04', 'rhel8.6'], onProgress: (m) => process.stdout.write(`${m}\n`) });
  const inv = lab.files.inventoryYaml;
  // The lab's inventory has the groups the playbooks target (hpc, hyperv) and each Hyper-V host's
  // gpu_vms, so they run as a user would run them.
  const steps: Array<[string, string[]]> = [
    ['InfiniBand: check mode with diffs (nothing changes)', ['playbooks/infiniband.yml', '-i', inv, '--check', '--diff']],
    ['InfiniBand: for real (MOFED from the lab mirror, RDMA on, handlers restart once)', ['playbooks/infiniband.yml', '-i', inv]],
    ['InfiniBand: again (changed=0)', ['playbooks/infiniband.yml', '-i', inv]],
    ['GPU partitioning: check mode with diffs', ['playbooks/gpu-partitioning.yml', '-i', inv, '--check', '--diff']],
    ['GPU partitioning: for real', ['playbooks/gpu-partitioning.yml', '-i', inv]],
    ['GPU partitioning: again (changed=0)', ['playbooks/gpu-partitioning.yml', '-i', inv]],
  ];
  for (const [title, args] of steps) {
    // The command as a user types it from a checkout (`npx` finds the package's own bin/fleetplay.js).
    say(`${title}\n$ npx fleetplay ${args.join(' ')}`);
    const code = await main(['node', 'fleetplay', ...args.map((a) => (a.startsWith('playbooks/') ? join(root, a) : a))]);
    worst = Math.max(worst, code);
  }
} finally {
  say('lab down');
  await labDown(join(dir, 'lab')).catch((e: Error) => process.stderr.write(`lab down: ${e.message}\n`));
  await rm(dir, { recursive: true, force: true });
}
say(worst === 0 ? 'demo finished: every step succeeded' : `demo finished with exit code ${worst}`);
process.exit(worst);
