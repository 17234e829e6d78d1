// Every shipped module, in the order docs list them. Add a module here and nowhere else.
import type { Module } from '../engine/contract/module.js';
import { addHost } from './add-host.js';
import { apt } from './apt.js';
import { assert } from './assert.js';
import { authorizedKey } from './authorized-key.js';
import { blockinfile } from './blockinfile.js';
import { command } from './command.js';
import { copy } from './copy.js';
import { cron } from './cron.js';
import { deb822Repository } from './deb822-repository.js';
import { debug } from './debug.js';
import { dpkgSelections } from './dpkg-selections.js';
import { dnf } from './dnf.js';
import { fail } from './fail.js';
import { fetch } from './fetch.js';
import { file } from './file.js';
import { find } from './find.js';
import { getUrl } from './get-url.js';
import { group } from './group.js';
import { groupBy } from './group-by.js';
import { lineinfile } from './lineinfile.js';
import { modprobe } from './modprobe.js';
import { mount } from './mount.js';
import { mofedInstall } from './mofed-install.js';
import { packageModule } from './package.js';
import { packageHold } from './package-hold.js';
import { pamLimits } from './pam-limits.js';
import { hostname } from './hostname.js';
import { ibHealth } from './ib-health.js';
import { pause } from './pause.js';
import { ping } from './ping.js';
import { raw } from './raw.js';
import { reboot } from './reboot.js';
import { replace } from './replace.js';
import { service } from './service.js';
import { serviceFacts } from './service-facts.js';
import { setFact } from './set-fact.js';
import { includeVars } from './include-vars.js';
import { script } from './script.js';
import { setup } from './setup.js';
import { shell } from './shell.js';
import { slurp } from './slurp.js';
import { stat } from './stat.js';
import { systemdService } from './systemd-service.js';
import { sysctl } from './sysctl.js';
import { template } from './template.js';
import { timezone } from './timezone.js';
import { unarchive } from './unarchive.js';
import { uri } from './uri.js';
import { user } from './user.js';
import { vmGpuPartitionAssign } from './vm-gpu-partition-assign.js';
import { vmGpuPartitionCount } from './vm-gpu-partition-count.js';
import { waagentRdma } from './waagent-rdma.js';
import { waitFor } from './wait-for.js';
import { waitForConnection } from './wait-for-connection.js';
import { yumRepository } from './yum-repository.js';
import { winPing } from './win-ping.js';
import { winPowershell } from './win-powershell.js';
import { winCopy } from './win-copy.js';
import { winFile } from './win-file.js';
import { winTemplate } from './win-template.js';
import { winRegedit } from './win-regedit.js';
import { winService } from './win-service.js';
import { winFeature } from './win-feature.js';
import { winReboot } from './win-reboot.js';
import { winPackage } from './win-package.js';
import { winStat } from './win-stat.js';

export const modules: Module[] = [
  // Generic host modules (Ansible's names).
  command,
  shell,
  script,
  raw,
  copy,
  template,
  file,
  lineinfile,
  blockinfile,
  replace,
  stat,
  slurp,
  fetch,
  find,
  service,
  systemdService,
  serviceFacts,
  packageModule,
  apt,
  dnf,
  deb822Repository,
  yumRepository,
  dpkgSelections,
  packageHold,
  pamLimits,
  user,
  group,
  authorizedKey,
  cron,
  hostname,
  timezone,
  sysctl,
  modprobe,
  mount,
  waitFor,
  reboot,
  waitForConnection,
  getUrl,
  unarchive,
  uri,
  ping,
  setup,
  // Controller-side modules.
  debug,
  setFact,
  includeVars,
  addHost,
  groupBy,
  assert,
  fail,
  pause,
  // InfiniBand on Azure HPC Linux VMs.
  mofedInstall,
  waagentRdma,
  ibHealth,
  // Windows hosts and Hyper-V GPU partitioning.
  winPing,
  winPowershell,
  winStat,
  winFile,
  winCopy,
  winTemplate,
  winRegedit,
  winService,
  winFeature,
  winReboot,
  winPackage,
  vmGpuPartitionCount,
  vmGpuPartitionAssign,
];
