// `fleetplay report merge A.json B.json ... [--json OUT]`: read shard reports (each checked against
// schemas/report.json, problems at file:line:col), join them, print one PLAY RECAP and exit with the
// worst exit code of the shards.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { InvalidInputError } from '../engine/contract/diagnostics.js';
import { parseYaml } from '../engine/load/yaml-source.js';
import { painter } from '../engine/report/ansi.js';
import { reportSchema, type RunReport } from '../engine/report/json-schema.js';
import { recap } from '../engine/report/text-reporter.js';
import { validateWithSchema } from '../engine/validate/validate-with-schema.js';
import { mergeShardReports, type ShardReport } from './report-merge.js';

export function reportCommand(): Command {
  const report = new Command('report').description('work with --json run reports');
  report
    .command('merge')
    .description("join the --json reports of a run's shards (--shard k/n) into one recap and one exit code")
    .argument('<report...>', 'the JSON report of every shard')
    .option('--json <file>', 'write the merged report (schema: schemas/report.json)')
    .option('--no-color', 'plain output')
    .action(async (files: string[], opts: { json?: string; color: boolean }) => {
      process.exitCode = await mergeCommand(files, opts);
    });
  return report;
}

export async function mergeCommand(files: string[], opts: { json?: string; color: boolean }): Promise<number> {
  const reports = await Promise.all(files.map((f) => readShardReport(f)));
  const { report, exitCode } = mergeShardReports(reports);
  if (opts.json) await writeAtomically(resolve(opts.json), `${JSON.stringify(report, null, 2)}\n`);
  const paint = painter(opts.color && !!process.stdout.isTTY && !process.env.NO_COLOR);
  const hosts = Object.keys(report.stats).length;
  process.stdout.write(`MERGED ${report.merged!.shards} shard reports of ${report.playbooks.join(', ')}: ${hosts} host${hosts === 1 ? '' : 's'}\n`);
  process.stdout.write(recap(report, report.checkMode, paint).join('\n'));
  return exitCode;
}

export async function readShardReport(file: string): Promise<ShardReport> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InvalidInputError({ message: `cannot read the report ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The YAML parser reads JSON too, and places the syntax error at its line and column.
    parseYaml(text, file);
    throw new InvalidInputError({ loc: { file, line: 1, col: 1 }, message: `${file} is not JSON` });
  }
  const at = { file, line: 1, col: 1 };
  if (!value || typeof value !== 'object' || (value as { version?: unknown }).version !== 1) {
    throw new InvalidInputError({ loc: at, message: `${file} is not a fleetplay run report (written by fleetplay --json FILE), or not of version 1` });
  }
  // Locations are only worth a second parse when something is wrong.
  const problems = validateWithSchema(reportSchema, value, {}, at, { rootWhere: 'in the report' });
  if (problems.length) {
    const located = validateWithSchema(reportSchema, value, parseYaml(text, file).locs, at, { rootWhere: 'in the report' });
    throw new InvalidInputError(located);
  }
  return { file, text, report: value as RunReport };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
