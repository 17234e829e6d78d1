// A real lab for one end-to-end test file: started in beforeAll in a fresh temp directory (so test
// files running in parallel each get their own bridge, namespaces and subnet), taken down in afterAll.
// Host state is read through OpenSSH (`ssh -F DIR/ssh_config`), a client independent of fleetplay's.
import { execFile } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { stringify } from 'yaml';
import { type LabInfo, labResetHosts, labStartHosts, labStopHosts, type LabUpOptions, SYSTEMCTL_LOG } from '@fleetplay/lab';
import { startLab, type TestLab } from './lab-fixture.js';

const run = promisify(execFile);

export interface SshResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface E2eLab {
  readonly info: LabInfo;
  readonly dir: string;
  /** A scratch directory beside the lab (removed with it) for inventories and files a test writes. */
  readonly work: string;
  /** DIR/inventory.yml as `lab up` wrote it. */
  readonly inventory: string;
  address(host: string): string;
  /** Writes `content` (YAML for objects) to `name` in the work directory; returns its path. */
  write(name: string, content: string | object): Promise<string>;
  /** Runs `command` on `host` with the stock OpenSSH client; never throws on a non-zero exit. */
  ssh(host: string, command: string, user?: string): Promise<SshResult>;
  /** Like ssh, but a non-zero exit fails the test with the host's stderr. */
  sh(host: string, command: string): Promise<string>;
  /** The contents of files on `host` (read with sudo) in one round trip; a missing file is absent. */
  files(host: string, paths: readonly string[]): Promise<Record<string, string>>;
  /**
   * One line per path under `paths` (recursively) with type, mode, owner, mtime and, for files, a
   * sha256: equal snapshots mean nothing was written, not even a temp file created and removed.
   */
  snapshot(host: string, paths: readonly string[]): Promise<string>;
  /** Every call the lab's systemctl recorded on `host` (verb and units, one per line). */
  systemctlLog(host: string): Promise<string[]>;
  reset(hosts?: readonly string[]): Promise<void>;
  stop(hosts: readonly string[]): Promise<void>;
  start(hosts: readonly string[]): Promise<void>;
}

export async function sshTo(info: LabInfo, host: string, command: string, user?: string): Promise<SshResult> {
  const target = user ? `${user}@${host}` : host;
  try {
    const r = await run('ssh', ['-F', info.files.sshConfig, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', target, command], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

function handle(get: () => TestLab): E2eLab {
  const info = () => get().info;
  const self: E2eLab = {
    get info() {
      return info();
    },
    get dir() {
      return get().dir;
    },
    get work() {
      return dirname(get().dir);
    },
    get inventory() {
      return info().files.inventoryYaml;
    },
    address: (host) => get().host(host).address,
    write: async (name, content) => {
      const file = join(dirname(get().dir), name);
      await writeFile(file, typeof content === 'string' ? content : stringify(content), { mode: 0o600 });
      return file;
    },
    ssh: (host, command, user) => sshTo(info(), host, command, user),
    sh: async (host, command) => {
      const r = await sshTo(info(), host, command);
      if (r.code !== 0) throw new Error(`ssh ${host} '${command}' exited ${r.code}: ${r.stderr.trim()}`);
      return r.stdout;
    },
    files: async (host, paths) => {
      const list = paths.map((p) => `'${p}'`).join(' ');
      // base64 keeps contents intact whatever bytes or newlines they hold.
      const out = await self.sh(host, `for f in ${list}; do sudo test -f "$f" && echo "$f $(sudo base64 -w0 "$f")"; done; true`);
      return Object.fromEntries(
        out
          .split('\n')
          .filter(Boolean)
          .map((l) => {
            const [path, b64 = ''] = l.split(' ');
            return [path!, Buffer.from(b64, 'base64').toString('utf8')];
          }),
      );
    },
    snapshot: (host, paths) => {
      const list = paths.map((p) => `'${p}'`).join(' ');
      // sudo: root-owned files (waagent.conf edits) must be hashed too; sorted so order never differs.
      return self.sh(host, `sudo find ${list} -printf '%p %y %m %u:%g %T@ %l\\n' | sort; sudo find ${list} -type f -exec sha256sum {} + | sort`);
    },
    systemctlLog: async (host) => (await self.sh(host, `cat ${SYSTEMCTL_LOG} 2>/dev/null || true`)).split('\n').filter(Boolean),
    reset: (hosts) => labResetHosts(get().dir, hosts),
    stop: (hosts) => labStopHosts(get().dir, hosts),
    start: (hosts) => labStartHosts(get().dir, hosts),
  };
  return self;
}

/** Starts a lab for the calling test file (beforeAll) and takes it down afterwards (afterAll). */
export function useLab(opts: Omit<LabUpOptions, 'dir'>): E2eLab {
  let lab: TestLab | undefined;
  beforeAll(async () => {
    lab = await startLab(opts);
  });
  afterAll(async () => {
    await lab?.down();
    lab = undefined;
  });
  return handle(() => {
    if (!lab) throw new Error('the lab is not up (useLab must be called at the top of a test file)');
    return lab;
  });
}

/** The directory whose lab holds `slot` now, if any (slots are reused as soon as they are free). */
async function slotOwner(slot: number): Promise<string | undefined> {
  const claim = await readFile(`/run/fleetlab/slots/${slot}.json`, 'utf8').catch(() => undefined);
  return claim === undefined ? undefined : (JSON.parse(claim) as { dir: string }).dir;
}

/**
 * What of a (taken down) lab is still on the machine: namespaces, links, guard route, mounts,
 * processes, its tmpfs and lab.json. Names are per slot; when a lab running in parallel has already
 * claimed the freed slot, the names are its own and only the lab's files can be checked.
 */
export async function labLeftovers(info: LabInfo): Promise<string[]> {
  const files: string[] = [];
  if (await access(join(info.dir, 'lab.json')).then(() => true, () => false)) files.push('lab.json');
  const before = await slotOwner(info.slot);
  const found: string[] = [];
  if (before === info.dir) found.push('slot claim');
  const netns = (await run('ip', ['netns', 'list'])).stdout;
  if (netns.includes(`fleetlab${info.slot}-`)) found.push('netns');
  const links = (await run('ip', ['-o', 'link', 'show'])).stdout;
  if (new RegExp(`^\\d+: fl${info.slot}[bixn]`, 'm').test(links)) found.push('links');
  if ((await run('ip', ['route', 'show', 'type', 'unreachable'])).stdout.includes(`${info.guardRoute.split('/')[0]!}/`)) found.push('route');
  // lab1 must not match lab12: the tmpfs path ends at a slash, a space or the end of the line.
  const labFs = new RegExp(`${info.labFs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[/\\s]|$)`, 'm');
  if (labFs.test(await readFile('/proc/self/mountinfo', 'utf8'))) found.push('mounts');
  if (labFs.test((await run('ps', ['-eo', 'args'])).stdout)) found.push('processes');
  if (await access(info.labFs).then(() => true, () => false)) found.push('labfs');
  const after = await slotOwner(info.slot);
  const reused = [before, after].some((o) => o !== undefined && o !== info.dir);
  return reused ? files : [...files, ...found];
}
