// Authentication failures: the server refused our credentials or auth method. Like Ansible, the
// connection layer reports these as an unreachable host rather than a failed task.
export class WinrmAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WinrmAuthError';
  }
}
