// The WAN link as the kernel models it: `tc netem` delay (optionally with jitter) on both ends of
// the bastion's link to the controller, inside the lab's namespaces only (the root-side veth of the
// bastion and the bastion's own eth0), so each way takes `delayMs` and every round trip 2 × delayMs.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LinkShape {
  /** One-way delay. */
  delayMs: number;
  /** ± variation of each packet's delay (0 = none). */
  jitterMs: number;
}

/** `tc` arguments that give `dev`'s egress the shape (netem's delay and jitter). */
export function netemArgs(dev: string, shape: LinkShape): string[] {
  if (!(shape.delayMs >= 0) || !(shape.jitterMs >= 0)) throw new Error(`bench: delay and jitter must be >= 0 ms (got ${shape.delayMs}, ${shape.jitterMs})`);
  const ms = (v: number) => `${Number(v.toFixed(3))}ms`;
  return ['qdisc', 'replace', 'dev', dev, 'root', 'netem', 'delay', ms(shape.delayMs), ...(shape.jitterMs > 0 ? [ms(shape.jitterMs)] : [])];
}

/** Why netem is missing, from the kernel's build configuration when it can be read. */
async function kernelHint(): Promise<string> {
  const { stdout } = await run('sh', ['-c', 'zcat /proc/config.gz 2>/dev/null || cat "/boot/config-$(uname -r)" 2>/dev/null'], { maxBuffer: 64 * 2 ** 20 }).catch(() => ({ stdout: '' }));
  const line = stdout.split('\n').find((l) => /CONFIG_NET_SCH_NETEM[= ]/.test(l));
  if (line && /is not set/.test(line)) return `the running kernel (${(await readFile('/proc/sys/kernel/osrelease', 'utf8')).trim()}) is built without it (CONFIG_NET_SCH_NETEM is not set)`;
  if (line) return `the kernel has ${line.trim()}; if =m, load it with modprobe sch_netem`;
  return 'load it with modprobe sch_netem (kernel module), or use a kernel with CONFIG_NET_SCH_NETEM';
}

/**
 * Checks that netem can be used, in a throwaway network namespace (nothing on the machine's own
 * interfaces is touched). Throws with what is missing.
 */
export async function requireNetem(): Promise<void> {
  const ns = `fleetbench-netem-${process.pid}`;
  await run('ip', ['netns', 'add', ns]);
  try {
    await run('ip', ['netns', 'exec', ns, 'tc', ...netemArgs('lo', { delayMs: 1, jitterMs: 0 })]);
  } catch (e) {
    const msg = ((e as { stderr?: string }).stderr ?? (e as Error).message).trim();
    throw new Error(`bench: --profile wan needs tc netem, which does not work here (tc: ${msg}): ${await kernelHint()}. ` + 'Use --delay-method relay to emulate the delay in a user-space TCP relay instead (see bench/README.md).');
  } finally {
    await run('ip', ['netns', 'del', ns]).catch(() => undefined);
  }
}

/** Shapes both directions of the bastion's main link. */
export async function applyNetem(rootVeth: string, bastionNetns: string, shape: LinkShape): Promise<void> {
  await run('tc', netemArgs(rootVeth, shape));
  await run('ip', ['netns', 'exec', bastionNetns, 'tc', ...netemArgs('eth0', shape)]);
}
