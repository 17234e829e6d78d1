// Ansible modules fleetplay leaves out on purpose, with the reason `fleetplay doc <name>` gives, so
// that a user looking for one learns why instead of only "no module named".

const WIN_UPDATES =
  'win_updates is out of scope: installing Windows updates is driven by the Windows Update Agent COM API (search, download and install ' +
  'jobs that run for hours across several reboots, as a scheduled task because the API refuses network logons such as WinRM), which the lab ' +
  'cannot model faithfully enough to test it. Patch hosts with your update tooling (WSUS, Azure Update Manager, cluster-aware updating) and ' +
  'use win_package for a specific .msu/.msi and win_reboot afterwards.';

const OUT_OF_SCOPE: Record<string, string> = {
  win_updates: WIN_UPDATES,
  'ansible.windows.win_updates': WIN_UPDATES,
};

export function outOfScope(name: string): string | undefined {
  return OUT_OF_SCOPE[name];
}
