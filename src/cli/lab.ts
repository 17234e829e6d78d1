// `fleetplay lab up|down|status`: the local practice and test fleet (real sshd per Linux host in its
// own namespaces; a WS-Management server per Windows host). Root only. The lab is a development
// package of the repository (packages/lab), not part of the product: it is loaded only when a lab
// command runs, by package name, and its absence is a clear error rather than a crash.
import { resolve } from 'node:path';
import { Command } from 'commander';
import { ExitCode, UsageError } from '../engine/contract/diagnostics.js';
import type { LabApi } from './lab-api.js';

export const LAB_PACKAGE = '@fleetplay/lab';

/** Loads the lab package; `specifier` is for tests (a name that is not installed). */
export async function loadLab(specifier = LAB_PACKAGE): Promise<LabApi> {
  try {
    // A computed specifier: neither tsc nor the bundler follows it into the lab.
    return (await import(specifier)) as LabApi;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    if (e.message.includes(`'${specifier}'`)) {
      throw new UsageError(
        `the lab is not installed: '${specifier}' is a development package of fleetplay's repository (packages/lab), not part of the installed product; run 'fleetplay lab' from a checkout after 'npm ci'`,
      );
    }
    // The package is there but a file of it is not: an unbuilt checkout.
    throw new UsageError(`the lab package is incomplete (${e.message.split('\n')[0]}); run 'npm run build' in the checkout`);
  }
}

/** A missing lab is the user's mistake (wrong --dir), not an internal error. */
async function requireLab(lab: LabApi, dir: string): Promise<void> {
  if (!(await lab.readLabInfo(dir))) throw new UsageError(`no lab in ${dir} (start one with 'fleetplay lab up --dir ${dir}')`);
}

const count = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a whole number, got '${v}'`);
  return n;
};

export function labCommand(): Command {
  const command = new Command('lab').description('start, inspect and remove the local lab fleet (a checkout of fleetplay, as root)');
  command
    .command('up')
    .description('start lab hosts and write DIR/inventory.yml, inventory.ini, known_hosts and a client key')
    .option('--dir <dir>', 'lab directory (each directory is its own lab)', '.lab')
    .option('--linux <n>', 'Linux hosts (real OpenSSH servers)', count('--linux'), 2)
    .option('--windows <n>', 'Windows Hyper-V hosts (WS-Management servers)', count('--windows'), 0)
    .option('--distro <list>', 'comma list of distros, cycled over the Linux hosts (ubuntu22.04, rhel8.6, ...)')
    .option('--bastion', 'add a bastion host and an isolated segment reachable only through it')
    .option('--isolated <n>', 'Linux hosts on the isolated segment (with --bastion)', count('--isolated'), 2)
    .action(async (o: { dir: string; linux: number; windows: number; distro?: string; bastion?: boolean; isolated: number }) => {
      const lab = await loadLab();
      if (await lab.readLabInfo(resolve(o.dir))) throw new UsageError(`${resolve(o.dir)} already has a lab; run 'fleetplay lab down --dir ${o.dir}' first`);
      const info = await lab.labUp({
        dir: resolve(o.dir),
        linux: o.linux,
        windows: o.windows,
        distros: o.distro ? o.distro.split(',').map((d) => d.trim()).filter(Boolean) : undefined,
        bastion: !!o.bastion,
        isolated: o.bastion ? o.isolated : undefined,
        onProgress: (m) => process.stderr.write(`${m}\n`),
      });
      process.stdout.write(`lab up: ${info.hosts.length} hosts; inventory: ${info.files.inventoryYaml}\n`);
      process.exitCode = ExitCode.ok;
    });
  command
    .command('down')
    .description('remove every namespace, process, mount, bridge and file of this lab (nothing to do when none runs)')
    .option('--dir <dir>', 'lab directory', '.lab')
    .action(async (o: { dir: string }) => {
      const lab = await loadLab();
      // Ending what is not running is done already: scripts and a second `down` need no guard.
      if (!(await lab.readLabInfo(resolve(o.dir)))) {
        process.stdout.write(`no lab running in ${resolve(o.dir)}\n`);
        process.exitCode = ExitCode.ok;
        return;
      }
      await lab.labDown(resolve(o.dir));
      process.stdout.write('lab down\n');
      process.exitCode = ExitCode.ok;
    });
  command
    .command('status')
    .description('list the lab hosts and whether they answer')
    .option('--dir <dir>', 'lab directory', '.lab')
    .action(async (o: { dir: string }) => {
      const lab = await loadLab();
      await requireLab(lab, resolve(o.dir));
      const status = await lab.labStatus(resolve(o.dir));
      for (const h of status.hosts) {
        const state = !h.running ? 'DOWN' : h.sshd === 'silent' ? 'running, not answering' : h.sshd === 'behind-bastion' ? 'running (behind the bastion)' : 'up';
        process.stdout.write(`${h.name.padEnd(16)} ${h.address.padEnd(16)} ${h.kind.padEnd(8)} ${(h.distro ?? '').padEnd(12)} ${state}\n`);
      }
      process.exitCode = status.hosts.every((h) => h.running && h.sshd !== 'silent') ? ExitCode.ok : ExitCode.unreachable;
    });
  return command;
}
