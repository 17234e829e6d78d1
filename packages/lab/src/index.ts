// The lab's public surface (`@fleetplay/lab`): the CLI's `lab up|down|status`, tests, the demo and the
// benchmark. `@fleetplay/lab/windows`, `/powershell` and `/ntlm-server` are the other entry points.
export { labUp, LAB_LOGIN_USER, LAB_PASSWORD_SUDO_USER, type LabUpOptions } from './lab-up.js';
export { labDown } from './lab-down.js';
export { labStatus, readSshBanner, type HostStatus, type LabStatus } from './lab-status.js';
export { labResetHosts, labStartHosts, labStopHosts } from './host-control.js';
export { requireLabPrereqs, LabPrereqError } from './prereqs.js';
export { readLabInfo, type LabHost, type LabInfo, type LabUsers } from './state.js';
export { LAB_DISTROS, agentUnit, distroFamily, waagentConf, type LabDistro, type DistroFamily } from './host-files.js';
export { AVAILABLE_MODULES, BOOT_MODULES, MODULES_FILE, SYSCTL_DEFAULTS } from './kernel-model.js';
export { LSMOD_SHIM, MODPROBE_LOG, MODPROBE_SHIM } from './kernel-shims.js';
export { REBOOT_DELAY_FILE, REBOOT_LOG, REBOOT_MARKER } from './reboot-shim.js';
export { SYSTEMCTL_LOG, SYSTEMCTL_SHIM, UNIT_START_HOOKS, UNIT_STATE_DIR } from './systemctl-shim.js';
export { AGENT_DEFAULT_VERSION, AGENT_LOG, AGENT_VERSION_FILE, IB_CONTROL } from './ib-model.js';
// Where a host's state lives on the machine and which processes run in its namespace (fault tests).
export { hostPaths } from './linux-host.js';
export { pidsInNetns } from './processes.js';
export { LAB_RANGE } from './addressing.js';
