// The SSH transport's public surface (connection/factory.ts imports this lazily).
export { createSshConnection, SshConnection } from './connection.js';
export type { SshEndpoint, SshRunOptions } from './settings.js';
export type { HostKeyPolicy } from './host-keys.js';
