// The lab's public surface: the CLI's `lab up|down|status`, tests, the demo and the benchmark.
export { labUp, LAB_LOGIN_USER, LAB_PASSWORD_SUDO_USER, type LabUpOptions } from './lab-up.js';
export { labDown } from './lab-down.js';
export { labStatus, readSshBanner, type HostStatus, type LabStatus } from './lab-status.js';
export { labResetHosts, labStartHosts, labStopHosts } from './host-control.js';
export { requireLabPrereqs, LabPrereqError } from './prereqs.js';
export { readLabInfo, type LabHost, type LabInfo, type LabUsers } from './state.js';
export { LAB_DISTROS, agentUnit, distroFamily, waagentConf, type LabDistro, type DistroFamily } from './host-files.js';
export { SYSTEMCTL_LOG, UNIT_STATE_DIR } from './systemctl-shim.js';
export { LAB_RANGE } from './addressing.js';
