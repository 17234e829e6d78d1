// The WinRM transport's entry point, loaded by the connection factory only when a host needs it.
import type { Connection, ConnectionSpec } from '../../contract/connection.js';
import { WinrmConnection } from './connection.js';
import { winrmSettings, type WinrmFactoryOptions } from './options.js';

export { WinrmConnection } from './connection.js';
export { winrmSettings, type WinrmSettings } from './options.js';

/** Validates the host's ansible_winrm_* vars (InvalidInputError) and returns an unopened connection. */
export function createWinrmConnection(spec: ConnectionSpec, opts: WinrmFactoryOptions = {}): Connection {
  return new WinrmConnection(winrmSettings(spec, opts));
}
