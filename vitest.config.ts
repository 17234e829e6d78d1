import { defaultServerConditions } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

// Four projects, by what a test does (not where it sits):
// - `unit`: in-process tests needing no privileges. No root, no lab, no network namespaces, no
//   fleetplay CLI processes: `npm run test:unit` runs them as any user in seconds.
// - `integration`: no root and no lab either, but slower: files named `*.integration.test.ts`, which
//   run the real CLI as a separate process (or other programs and servers, or long fuzz loops).
// - `lab`: everything that starts a lab (sshd hosts in namespaces, the lab's WinRM servers, its MOFED
//   mirror), or needs root (other users' files, sudo, namespaces). Its global setup checks for root and
//   installs the lab's prerequisites.
// - `compat`: the differential suite (test/compat): each case runs with Debian's ansible-playbook and
//   with fleetplay. No root and no lab, but a minute or more of real playbook runs, so it is kept out
//   of `unit` (which stays seconds): `npm run test:compat` runs it alone; `npm test` runs all three.
// A new test that starts any part of the lab or needs root goes in this list.
const LAB = [
  // Everything end-to-end (Linux lab hosts: real sshd in namespaces; the Windows lab hosts)
  'test/e2e/**/*.test.ts',
  // test/e2e/packages-*.test.ts: the lab's package repositories and real apt/dnf on its hosts
  'test/engine/connection/ssh/ssh-auth.test.ts',
  'test/engine/connection/ssh/ssh-exec.test.ts',
  'test/engine/connection/ssh/ssh-failures.test.ts',
  'test/engine/connection/ssh/ssh-proxy-jump.test.ts',
  'test/reliability/faults-policies.test.ts',
  'test/reliability/faults-ssh.test.ts',
  'test/reliability/injection-lab.test.ts',
  'packages/lab/test/lab.test.ts',
  'packages/lab/test/lab-windows.test.ts',
  // the lab's Windows Hyper-V hosts (WS-Management servers), its MOFED mirror
  'test/engine/connection/winrm/connection.test.ts',
  'test/engine/connection/winrm/lab-host.test.ts',
  'test/engine/connection/winrm/shell-protocol.test.ts',
  'test/modules/mofed-windows.test.ts',
  'test/modules/vm-gpu-partition-lab.test.ts',
  'test/modules/win-ping.test.ts',
  'test/modules/win-powershell.test.ts',
  'test/reliability/faults-check-mode-windows.test.ts',
  'test/reliability/faults-winrm.test.ts',
  'packages/lab/test/mofed-mirror.test.ts',
  'packages/lab/test/package-repos.test.ts',
  'packages/lab/test/windows/server-main.test.ts',
  'packages/lab/test/windows/wsman/fleetplay-client.test.ts',
  'packages/lab/test/windows/wsman/pywinrm.test.ts',
  'packages/lab/test/windows/wsman/server.test.ts',
  // root: namespaces, other users, sudo
  'test/reliability/check-mode-proof.test.ts',
  // root: files owned by other users (chown), become through sudo on the local connection
  'test/engine/connection/local.test.ts',
  'test/reliability/secrets.test.ts',
  'test/modules/copy.test.ts',
  'test/modules/file.test.ts',
  'test/modules/lineinfile.test.ts',
  'test/modules/stat.test.ts',
  'packages/lab/test/prereqs.test.ts',
];

const COMPAT = ['test/compat/**/*.test.ts'];
// `unit` shares each worker's module cache between files (isolate: false): loading the engine and the
// modules once per worker instead of once per file cut its time from ~115 s to ~30 s. A file that
// replaces a module (vi.mock) needs a fresh module graph: it goes in this list, run by `unit-isolated`
// (npm run test:unit runs both).
const ISOLATED = ['test/modules/copy-src-read.test.ts'];
// A glob, so that a new file lands here by its name alone.
const INTEGRATION = ['test/**/*.integration.test.ts', 'packages/*/test/**/*.integration.test.ts'];

export default defineConfig({
  // Workspace packages (the lab) resolve to their TypeScript sources, as in tsconfig.json.
  ssr: { resolve: { conditions: [...defaultServerConditions, 'fleetplay-source'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Lab tests start real sshd processes in namespaces; two workers match the 2-core machines.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...LAB, ...COMPAT, ...INTEGRATION, ...ISOLATED],
          isolate: false,
          globalSetup: ['test/support/global-setup-unit.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'unit-isolated',
          include: ISOLATED,
          globalSetup: ['test/support/global-setup-unit.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION,
          exclude: [...configDefaults.exclude, ...LAB, ...COMPAT],
          globalSetup: ['test/support/global-setup-integration.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'compat',
          include: COMPAT,
          globalSetup: ['test/support/global-setup-unit.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'lab',
          include: LAB,
          globalSetup: ['test/support/global-setup-lab.ts'],
        },
      },
    ],
  },
});
