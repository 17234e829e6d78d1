// Machine limits a large lab needs raised (only ever raised, never lowered). Each host is a few
// processes when idle (its start shell, unshare, sshd) and several more per SSH connection and
// command during a run; the kernel's default pid_max (32768) is shared with everything else on the
// machine, so a thousand busy hosts can exhaust it.
import { readFile, writeFile } from 'node:fs/promises';

/** PIDs a lab of `hosts` may use at once, with room for the machine's other work. */
export function wantedPidMax(hosts: number): number {
  return 32768 + hosts * 48;
}

export async function ensurePidCapacity(hosts: number): Promise<void> {
  const file = '/proc/sys/kernel/pid_max';
  const current = Number((await readFile(file, 'utf8').catch(() => '0')).trim());
  const want = wantedPidMax(hosts);
  if (current > 0 && current < want) await writeFile(file, String(want)).catch(() => undefined);
}
