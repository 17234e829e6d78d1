// The two raw-SSH floors as tools: per run, the harness writes the inputs (content, each host's
// rendered template, each host's one-script) and the driver, outside the timing; the timed command
// is `sh driver`.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { templateRenderer, type TemplateHost } from '../floor/render-template.js';
import { contentFile, hostScript, oneScriptDriver, perStepDriver, scriptFile, templateFile, type DriverInput } from '../floor/drivers.js';
import { stepScripts } from '../floor/step-scripts.js';
import type { LoadedWorkload } from '../workload.js';
import type { Invocation, RunKind, Tool, ToolContext } from './tool.js';

export interface FloorSpec {
  hosts: readonly TemplateHost[];
  /** ssh argv prefix before the host name. */
  ssh: readonly string[];
  workload: LoadedWorkload;
}

let controlSeq = 0;

function sshPrefix(ctx: ToolContext): string[] {
  return ['ssh', '-F', ctx.lab.sshConfig, '-l', 'root', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', ...ctx.lab.jumpArgs];
}

async function driverInput(kind: RunKind, runDir: string, spec: FloorSpec): Promise<{ input: DriverInput; stdinText: (host: string, i: number) => string | undefined }> {
  const w = spec.workload;
  const mode = kind === 'check' ? 'check' : 'apply';
  const steps = stepScripts(w.steps, mode);
  const notified = w.steps.flatMap((s) => (s.kind === 'lineinfile' && s.notify ? [s.notify] : []))[0];
  const handler = notified ? w.handlers.get(notified) : undefined;
  const inputDir = join(runDir, 'in');
  const outDir = join(runDir, 'out');
  await mkdir(inputDir, { recursive: true });
  await mkdir(outDir, { recursive: true });
  const renderer = templateRenderer(w.templates, w.group, spec.hosts);
  const stdinText = (host: string, i: number) => {
    const input = steps[i]!.input;
    if (!input) return undefined;
    return input.kind === 'content' ? input.text : renderer(host)(input.source);
  };
  return { input: { hosts: spec.hosts.map((h) => h.name), ssh: spec.ssh, inputDir, outDir, steps, ...(handler ? { handler } : {}), mode }, stdinText };
}

/** Floor (a): writes the inputs and the driver; returns the driver and its ControlPath directory. */
export async function writePerStepFloor(kind: RunKind, runDir: string, spec: FloorSpec): Promise<{ driver: string; controlDir: string }> {
  const { input, stdinText } = await driverInput(kind, runDir, spec);
  for (const [i, s] of input.steps.entries()) {
    if (s.input?.kind === 'content') await writeFile(join(input.inputDir, contentFile(i)), stdinText(input.hosts[0]!, i)!);
    if (s.input?.kind === 'template') for (const h of input.hosts) await writeFile(join(input.inputDir, templateFile(i, h)), stdinText(h, i)!);
  }
  // A short path: the socket name (plus OpenSSH's temporary suffix) must fit in sun_path.
  const controlDir = `/tmp/fbcm-${process.pid}-${++controlSeq}`;
  await mkdir(controlDir, { recursive: true, mode: 0o700 });
  const driver = join(runDir, 'floor-steps.sh');
  await writeFile(driver, perStepDriver(input, controlDir));
  return { driver, controlDir };
}

/** Floor (b): writes each host's script and the driver. */
export async function writeOneScriptFloor(kind: RunKind, runDir: string, spec: FloorSpec): Promise<string> {
  const { input, stdinText } = await driverInput(kind, runDir, spec);
  for (const h of input.hosts) await writeFile(join(input.inputDir, scriptFile(h)), hostScript(input, h, (i) => stdinText(h, i)));
  const driver = join(runDir, 'floor-script.sh');
  await writeFile(driver, oneScriptDriver(input));
  return driver;
}

const specOf = (ctx: ToolContext): FloorSpec => ({ hosts: ctx.lab.hosts, ssh: sshPrefix(ctx), workload: ctx.workload });

export const floorSteps: Tool = {
  name: 'floor-steps',
  async prepare(kind, runDir, ctx): Promise<Invocation> {
    const { driver, controlDir } = await writePerStepFloor(kind, runDir, specOf(ctx));
    return { argv: ['sh', driver], cleanupDirs: [controlDir] };
  },
};

export const floorScript: Tool = {
  name: 'floor-script',
  async prepare(kind, runDir, ctx): Promise<Invocation> {
    return { argv: ['sh', await writeOneScriptFloor(kind, runDir, specOf(ctx))] };
  },
};
