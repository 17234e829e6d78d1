// The OpenSSH server configuration every lab host runs with (one sshd per host, as PID 1 of the
// host's PID namespace so it reaps every process of the host).
export const SSHD_PID_FILE = '/run/sshd.pid';
export const HOST_KEY_PATH = '/etc/ssh/ssh_host_ed25519_key';

export interface SshdOptions {
  /** Channels per connection (OpenSSH default 10). */
  maxSessions: number;
  /**
   * INFO by default. VERBOSE adds a "Starting session: command|subsystem 'sftp'|shell …" line per
   * session, which the benchmark counts (remote commands each host served).
   */
  logLevel?: 'INFO' | 'VERBOSE';
}

export function sshdConfig(opts: SshdOptions): string {
  return [
    '# fleetlab host sshd',
    'Port 22',
    'AddressFamily inet',
    'ListenAddress 0.0.0.0',
    `HostKey ${HOST_KEY_PATH}`,
    `PidFile ${SSHD_PID_FILE}`,
    // PAM and reverse DNS only add latency (and PAM needs a session bus the lab does not have).
    'UsePAM no',
    'UseDNS no',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'AuthorizedKeysFile .ssh/authorized_keys',
    'MaxAuthTries 12',
    // Many controllers connect at once during a fleet run (benchmark: every host in parallel).
    'MaxStartups 500:30:1000',
    `MaxSessions ${opts.maxSessions}`,
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'AllowTcpForwarding yes',
    'AcceptEnv LANG LC_*',
    // In-process SFTP: no sftp-server fork per transfer.
    'Subsystem sftp internal-sftp',
    `LogLevel ${opts.logLevel ?? 'INFO'}`,
    '',
  ].join('\n');
}
