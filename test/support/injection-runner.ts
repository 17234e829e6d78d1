// Runs the injection table against one host through the real loader, executor, modules and the
// host's real transport: one generated playbook, one task per (argument, payload), every task with
// ignore_errors (a refused value is a safe outcome). Afterwards: the canary directory must be empty,
// and each case's check must hold. Any target works — the local connection now, the lab over SSH.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import type { Connection } from '../../src/engine/contract/connection.js';
import type { Reporter, RunEvent, TaskResult } from '../../src/engine/contract/events.js';
import { shQuote } from '../../src/engine/connection/quote.js';
import { createConnectionFactory } from '../../src/engine/connection/factory.js';
import { loadInventory } from '../../src/engine/inventory/index.js';
import { loadPlaybook } from '../../src/engine/load/index.js';
import { runPlaybook } from '../../src/engine/run/index.js';
import { createTemplater } from '../../src/engine/template/index.js';
import { registry } from '../../src/modules/registry.js';
import { packageName } from '../../src/modules/lib/mofed.js';
import { INJECTION_CASES, parentDirs, type InjectionCase } from './injection-table.js';
import { injectionPayloads } from './payloads.js';

const run = promisify(execFile);

export interface InjectionTarget {
  /** An inventory whose host `host` is the target. */
  inventoryPath: string;
  host: string;
  /** A connection to the same host for setup and checks (opened and closed by the runner). */
  connection(): Connection;
  /** An empty, writable directory on the host. */
  base: string;
}

export interface InjectionReport {
  cases: number;
  payloads: number;
  /** (argument, payload) pairs run. */
  tried: number;
  /** Files found in the canary directory afterwards (must be empty). */
  canaries: string[];
  /** Checks of literal arrival that did not hold, as `case #payload: message`. */
  failures: string[];
}

const MOFED_VERSION = '5.8-3.0.7.0';
const MOFED_DISTRO = 'ubuntu22.04';

/** A tarball whose mlnxofedinstall records its argv (NUL-separated) beside its temp dir, then succeeds. */
async function fakeMofedTarball(staging: string, arch: string): Promise<string> {
  const name = packageName(MOFED_VERSION, MOFED_DISTRO, arch);
  await mkdir(join(staging, name), { recursive: true });
  const script = ['#!/bin/sh', 'out="$(dirname -- "$PWD")/installer-args"', ': > "$out"', 'for a in "$@"; do printf \'%s\\0\' "$a" >> "$out"; done', 'exit 0', ''].join('\n');
  await writeFile(join(staging, name, 'mlnxofedinstall'), script, { mode: 0o755 });
  const tgz = join(staging, `${name}.tgz`);
  await run('tar', ['-C', staging, '-czf', tgz, name]);
  return tgz;
}

class Results implements Reporter {
  readonly byTask = new Map<string, TaskResult>();
  on(e: RunEvent): void {
    if (e.type === 'host_result') this.byTask.set(e.task.name, e.result);
  }
  async close(): Promise<void> {}
}

async function must(conn: Connection, command: string): Promise<void> {
  const r = await conn.exec(command);
  if (r.rc !== 0) throw new Error(`setup failed (${command}): ${r.stderr}`);
}

export interface InjectionOptions {
  cases?: InjectionCase[];
  /** Which payloads (indices into injectionPayloads) to try; all by default. */
  payloadIndices?: number[];
}

export async function runInjectionTable(target: InjectionTarget, opts: InjectionOptions = {}): Promise<InjectionReport> {
  const cases = opts.cases ?? INJECTION_CASES;
  const conn = target.connection();
  await conn.connect();
  const controller = await mkdtemp(join(tmpdir(), 'fleetplay-inject-'));
  try {
    const canaryDir = `${target.base}/canary`;
    // One canary name per (case, payload), so a canary names the argument and the value that leaked.
    const chosen = (i: number) => opts.payloadIndices?.includes(i) ?? true;
    const payloadsFor = (ci: number) =>
      injectionPayloads(`${canaryDir}/c${ci}-p`)
        .map((p, i) => [i, p.replaceAll(`${canaryDir}/c${ci}-p`, `${canaryDir}/c${ci}-p${i}`)] as const)
        .filter(([i]) => chosen(i));
    const payloads = payloadsFor(0);
    await must(conn, `mkdir -p -- ${shQuote(canaryDir)} ${shQuote(`${target.base}/mirror/MLNX_OFED-${MOFED_VERSION}`)}`);
    const arch = (await conn.exec('uname -m')).stdout.trim();
    const tgz = await fakeMofedTarball(join(controller, 'staging'), arch);
    await conn.putFile(tgz, `${target.base}/mirror/MLNX_OFED-${MOFED_VERSION}/${packageName(MOFED_VERSION, MOFED_DISTRO, arch)}.tgz`);

    const tasks: Record<string, unknown>[] = [];
    const dirs: Array<{ c: InjectionCase; i: number; dir: string; p: string }> = [];
    const extra: Record<string, unknown> = { mofed_distro: MOFED_DISTRO, mofed_url: `file://${target.base}/mirror` };
    const sent = new Map<string, string>();
    const mkdirs: string[] = [];
    const files: Array<[string, string]> = [];
    for (const [ci, c] of cases.entries()) {
      for (const [i, p] of payloadsFor(ci)) {
        extra[`payload_${ci}_${i}`] = p;
        sent.set(`${ci}-${i}`, p);
        const dir = `${target.base}/c${ci}-p${i}`;
        dirs.push({ c, i, dir, p });
        mkdirs.push(dir, ...parentDirs(c, p).map((d) => `${dir}/${d}`));
        for (const [rel, content] of Object.entries(c.files?.(p) ?? {})) {
          mkdirs.push(dirname(`${dir}/${rel}`));
          files.push([`${dir}/${rel}`, content]);
        }
        tasks.push({ name: `${c.id} #${i}`, ...c.task, vars: { ...(c.task.vars as object), p: `{{ payload_${ci}_${i} }}`, d: dir }, ignore_errors: true });
      }
    }
    // Set up through the same connection (its quoting is under test too), in one round trip for the directories.
    await must(conn, `mkdir -p -- ${mkdirs.map(shQuote).join(' ')}`);
    for (const [path, content] of files) await conn.writeFile(path, content);
    const playbookPath = join(controller, 'inject.yml');
    await writeFile(join(controller, 'payload.j2'), '[{{ p }}]\n');
    await writeFile(playbookPath, stringify([{ name: 'injection', hosts: target.host, gather_facts: false, tasks }]));

    const results = new Results();
    await runPlaybook(await loadPlaybook(playbookPath, { registry }), {
      inventory: await loadInventory([target.inventoryPath]),
      registry,
      templater: createTemplater(),
      connectionFactory: createConnectionFactory(),
      reporter: results,
      extraVars: { vars: extra, locs: {} },
      forks: 1,
    });

    const failures: string[] = [];
    for (const { c, i, dir, p } of dirs) {
      const name = `${c.id} #${i}`;
      const result = results.byTask.get(name);
      if (!result) {
        failures.push(`${name}: no result`);
        continue;
      }
      if (c.id === 'mofed_install.extra_args') {
        const rec = await conn.readFile(`${dir}/installer-args`);
        const args = rec ? rec.data.toString('utf8').split('\0').slice(0, -1) : [];
        if (args.at(-1) !== p) failures.push(`${name}: installer got ${JSON.stringify(args)}`);
        continue;
      }
      try {
        await c.check?.(probe(conn, dir, result), p);
      } catch (err) {
        failures.push(`${name}: ${(err as Error).message} [status ${result.status}: ${result.msg ?? ''}]`);
      }
    }
    const listing = await conn.exec(`ls -A -- ${shQuote(canaryDir)}`);
    // c<case>-p<payload> → which argument and value leaked.
    const canaries = listing.stdout.split('\n').filter(Boolean).map((f) => {
      const m = /^c(\d+)-p(\d+)$/.exec(f);
      return m ? `${cases[Number(m[1])]?.id} with ${JSON.stringify(sent.get(`${m[1]}-${m[2]}`))}` : f;
    });
    return { cases: cases.length, payloads: payloads.length, tried: dirs.length, canaries, failures };
  } finally {
    await conn.close();
    await rm(controller, { recursive: true, force: true });
  }
}

function probe(conn: Connection, dir: string, result: TaskResult) {
  return {
    dir,
    result,
    async read(path: string) {
      const r = await conn.readFile(path);
      return r ? r.data.toString('utf8') : null;
    },
    async linkTarget(path: string) {
      const st = await conn.stat(path);
      return st.type === 'link' ? (st.linkTarget ?? null) : null;
    },
    async exists(path: string) {
      return (await conn.stat(path)).exists;
    },
  };
}
