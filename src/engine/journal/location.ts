// Where handler journals live: one file per (playbook, inventory sources), under the user's state
// directory (XDG), so a rerun of the same command finds the restarts an earlier run owed its hosts.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';

/**
 * $FLEETPLAY_STATE_DIR, else $XDG_STATE_HOME/fleetplay, else ~/.local/state/fleetplay. Journals go in
 * its `journal/` subdirectory.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLEETPLAY_STATE_DIR) return resolve(env.FLEETPLAY_STATE_DIR);
  // The XDG spec says relative values are invalid and must be ignored.
  const xdg = env.XDG_STATE_HOME;
  if (xdg && xdg.startsWith('/')) return join(xdg, 'fleetplay');
  return join(homedir(), '.local', 'state', 'fleetplay');
}

/**
 * Absolute, symlinks resolved when the path exists: `./site.yml` and `/abs/site.yml` are one key.
 * An inline host list (`-i web1,web2,`) is not a path: it is its own key, wherever it was typed.
 */
function canonical(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    return path.includes(',') ? path : abs;
  }
}

export interface JournalKey {
  playbook: string;
  /** Inventory sources, canonical, deduplicated and sorted: the order of -i does not change the fleet's identity. */
  inventory: string[];
}

export function journalKey(playbook: string, inventory: readonly string[]): JournalKey {
  return { playbook: canonical(playbook), inventory: [...new Set(inventory.map(canonical))].sort() };
}

/** `<state>/journal/<playbook name>-<hash of the key>.json`: readable by humans, unique per key. */
export function journalPath(key: JournalKey, dir: string = stateDir()): string {
  const hash = createHash('sha256').update(JSON.stringify([key.playbook, key.inventory])).digest('hex').slice(0, 16);
  const name = basename(key.playbook).replace(/\.ya?ml$/i, '').replace(/[^A-Za-z0-9_.-]/g, '_');
  return join(dir, 'journal', `${name}-${hash}.json`);
}
