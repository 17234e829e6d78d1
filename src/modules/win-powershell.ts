// win_powershell: run a PowerShell script on a Windows host with named parameters, capturing its
// output objects, errors, warnings and host output (Ansible's ansible.windows.win_powershell).
// Parameters travel as JSON and are splatted, so values are never interpreted as code. Check mode:
// the script is not run (the task is reported as skipped) unless creates/removes settle it.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { parseWrapperOutput, wrapperScript, type ErrorAction } from './lib/win-powershell-wrapper.js';

const schema = Type.Object(
  {
    script: Type.String({ description: 'The PowerShell script; a param() block receives `parameters`.' }),
    parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Named parameters for the script (splatted; nested dicts arrive as objects).' })),
    chdir: Type.Optional(Type.String({ description: 'Working directory for the script.' })),
    creates: Type.Optional(Type.String({ description: 'A path; when it exists the script does not run.' })),
    removes: Type.Optional(Type.String({ description: 'A path; when it does NOT exist the script does not run.' })),
    error_action: Type.Optional(
      Type.Union([Type.Literal('silently_continue'), Type.Literal('continue'), Type.Literal('stop')], {
        description: "$ErrorActionPreference for the script (default continue); with 'stop' any error fails the task.",
      }),
    ),
    depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, description: 'ConvertTo-Json depth for output objects (default 2).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  skip?: string;
}

/** The wrapped script exactly as it will be sent, and how to judge its errors. */
interface Change {
  script: string;
  stopOnError: boolean;
  cwd?: string;
}

export const winPowershell: Module<Args, Current, Change> = {
  meta: {
    name: 'win_powershell',
    aliases: ['ansible.windows.win_powershell'],
    description: 'Run a PowerShell script with parameters on a Windows host and capture its output, errors and host output.',
    platforms: ['windows'],
    checkMode: 'none',
    example: [
      'win_powershell:',
      '  script: |',
      '    param([string]$Name, [int]$Count)',
      '    1..$Count | ForEach-Object { "$Name-$_" }',
      '  parameters:',
      '    Name: gpu',
      '    Count: 2',
    ].join('\n'),
    returns: {
      output: 'Objects the script wrote to the output stream.',
      error: 'Error records (message, category_info, fully_qualified_error_id, exception).',
      warning: 'Warning messages.',
      host_out: 'Write-Host output.',
      result: '$Ansible.Result as the script set it.',
      rc: 'Exit code of the PowerShell process.',
    },
  },
  schema,

  async read(ctx, args) {
    if (ctx.shell !== 'powershell') throw new Error('win_powershell needs a Windows host (ansible_connection: winrm)');
    if (args.creates !== undefined && (await ctx.stat(args.creates)).exists) return { skip: `skipped, since ${args.creates} exists` };
    if (args.removes !== undefined && !(await ctx.stat(args.removes)).exists) return { skip: `skipped, since ${args.removes} does not exist` };
    return {};
  },

  plan(args, cur) {
    if (cur.skip) return { changes: [], reason: cur.skip, result: { msg: cur.skip, output: [], error: [] } };
    const change: Change = {
      script: wrapperScript({ script: args.script, parameters: args.parameters, errorAction: args.error_action as ErrorAction | undefined, depth: args.depth }),
      stopOnError: args.error_action === 'stop',
      ...(args.chdir !== undefined ? { cwd: args.chdir } : {}),
    };
    return { changes: [change], reason: 'run the script' };
  },

  async apply(ctx, plan) {
    const c = plan.changes[0]!;
    const r = await ctx.run(c.script, { cwd: c.cwd });
    let parsed: ReturnType<typeof parseWrapperOutput>;
    try {
      parsed = parseWrapperOutput(r.stdout);
    } catch (e) {
      return { failed: `win_powershell: cannot read the script's results: ${(e as Error).message}`, result: { rc: r.rc, stdout: r.stdout, stderr: r.stderr } };
    }
    const { report, extra } = parsed;
    if (!report) {
      // The script called `exit` (or powershell.exe died) before the results were written.
      const why = r.stderr.trim() || extra.trim();
      return {
        failed: `the script ended the PowerShell process with exit code ${r.rc} before its results were collected${why ? `: ${why}` : ''}`,
        result: { rc: r.rc, host_out: extra, stderr: r.stderr },
      };
    }
    const hostOut = [report.host_out, extra].filter(Boolean).join('\n');
    // Warnings that bypassed the captured stream reach stderr as PowerShell prints them.
    const stray = r.stderr.split(/\r?\n/).filter((l) => l.startsWith('WARNING: ')).map((l) => l.slice('WARNING: '.length));
    const warning = [...report.warning, ...stray];
    const result = { output: report.output, error: report.error, warning, host_out: hostOut, result: report.result, rc: r.rc };
    const failedByError = c.stopOnError && report.error.length > 0;
    if (report.failed || failedByError) {
      const first = report.error[0]?.message;
      return { failed: first ? `the script failed: ${first}` : 'the script set $Ansible.Failed', result, changed: report.changed };
    }
    return { result, changed: report.changed, warnings: warning.length ? warning : undefined };
  },
};
