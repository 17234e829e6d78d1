// Puts a host back to its fresh state between runs: whatever the state script lists that the fresh
// host did not have is removed, every fresh file is rewritten with its fresh content, mode and owner.
// Also forgets Ansible's remote temp directory so each run starts from what a new host has.
import { shQuote } from '../../src/engine/connection/quote.js';
import type { HostState } from './host-state.js';

/** Directories a tool may leave behind in root's home on a host (created on its first run). */
export const TOOL_HOME_LEFTOVERS = ['/root/.ansible'];

export function resetScript(fresh: HostState, etcFile: string, dirs: readonly string[], leftovers: readonly string[] = TOOL_HOME_LEFTOVERS): string {
  if (fresh.size === 0) throw new Error('bench: no fresh state to reset to');
  const etcDir = etcFile.replace(/\/[^/]+$/, '') || '/';
  const base = etcFile.slice(etcDir.length + 1).replace(/\.[^.]*$/, '');
  const keep = [...fresh.keys()].map(shQuote).join('|');
  const lines = [
    'cd / || exit 1',
    'set -e',
    `{ find ${shQuote(etcDir)} -maxdepth 1 -name ${shQuote(`*${base}*`)}; find ${dirs.map(shQuote).join(' ')} 2>/dev/null; } | while IFS= read -r p; do`,
    `  case "$p" in ${keep}) ;; *) rm -rf -- "$p" ;; esac`,
    'done',
    ...(leftovers.length ? [`rm -rf ${leftovers.map(shQuote).join(' ')}`] : []),
  ];
  for (const [path, e] of fresh) {
    if (e.type === 'f') {
      const tmp = shQuote(`${path}.fbreset`);
      lines.push(`printf '%s' ${shQuote(e.content!.toString('base64'))} | base64 -d > ${tmp}`, `chmod ${e.mode} ${tmp}`, `chown ${e.owner} ${tmp}`, `mv -f ${tmp} ${shQuote(path)}`);
    } else if (e.type === 'd') {
      lines.push(`mkdir -p ${shQuote(path)}`, `chmod ${e.mode} ${shQuote(path)}`, `chown ${e.owner} ${shQuote(path)}`);
    } else {
      throw new Error(`bench: cannot restore ${path} (type ${e.type})`);
    }
  }
  return `${lines.join('\n')}\n`;
}
