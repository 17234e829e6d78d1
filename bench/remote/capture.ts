// A packet capture of the SSH streams during one run (tcpdump, headers only), for turns.ts. tcpdump
// is Debian's; the bench installs it when it is missing, as it does Ansible.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function ensureTcpdump(log: (m: string) => void): Promise<void> {
  const have = await run('tcpdump', ['--version'], { timeout: 10_000 }).then(() => true, () => false);
  if (have) return;
  log('bench: tcpdump not found (round trips are counted from a capture); installing Debian tcpdump (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) => run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { env, timeout: 900_000 });
  try {
    await apt(['install', '-y', '-qq', '--no-install-recommends', 'tcpdump']).catch(async () => {
      await apt(['update', '-qq']);
      await apt(['install', '-y', '-qq', '--no-install-recommends', 'tcpdump']);
    });
  } catch (e) {
    throw new Error(`bench: installing tcpdump failed (run: apt-get install -y tcpdump): ${(e as Error).message.split('\n').slice(-3).join(' ')}`);
  }
}

/**
 * Packets missing from the file, from tcpdump's closing statistics: dropped by the kernel, plus
 * those the filter matched but tcpdump never wrote (0 when the lines are absent).
 */
export function parseDropped(stderr: string): number {
  const n = (re: RegExp) => Number(re.exec(stderr)?.[1] ?? 0);
  const received = n(/(\d+) packets? received by filter/);
  const captured = n(/(\d+) packets? captured/);
  return n(/(\d+) packets? dropped by kernel/) + Math.max(0, received - captured);
}

export interface Capture {
  /** Ends the capture (tcpdump flushes the file first); returns the packets the kernel dropped. */
  stop(): Promise<{ dropped: number }>;
}

/** Starts tcpdump on `iface` writing SSH segments (`port`) to `file`; resolves once it listens. */
export async function startCapture(iface: string, file: string, port = 22): Promise<Capture> {
  // -Z root: tcpdump would otherwise drop to its own user and could not write into the run directory.
  // --immediate-mode: without it packets wait in the kernel's ring for up to a second, and those
  // still there when tcpdump is stopped never reach the file.
  const child: ChildProcess = spawn('tcpdump', ['-i', iface, '-n', '-s', '128', '-B', '32768', '--immediate-mode', '-U', '-Z', 'root', '-w', file, 'tcp', 'port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench: tcpdump on ${iface} did not start listening: ${stderr.trim()}`)), 10_000);
    const check = () => {
      if (/listening on/.test(stderr)) {
        clearTimeout(timer);
        child.stderr!.off('data', check);
        resolve();
      }
    };
    child.stderr!.on('data', check);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`bench: tcpdump failed to start: ${e.message}`));
    });
    void closed.then((code) => {
      clearTimeout(timer);
      reject(new Error(`bench: tcpdump on ${iface} exited (${code}): ${stderr.trim()}`));
    });
  });
  return {
    async stop() {
      child.kill('SIGINT');
      await closed;
      return { dropped: parseDropped(stderr) };
    },
  };
}
