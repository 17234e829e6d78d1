// The two raw-SSH floors as controller-side sh drivers, all hosts in parallel:
//  (a) per-step — OpenSSH with a ControlMaster per host (opened by the first step, so connection
//      setup is inside the timing as it is for every tool), one `ssh` exec per step and per handler;
//  (b) one script — the whole workload as one sh script, one ssh connection (no master) per host.
// Each driver ends with an Ansible-style PLAY RECAP so every run is checked the same way.
import { join } from 'node:path';
import { shQuote } from '../../src/engine/connection/quote.js';
import type { FloorMode, StepScript } from './step-scripts.js';

export interface DriverInput {
  hosts: readonly string[];
  /** ssh argv prefix before the host (config file, user, batch mode, …). */
  ssh: readonly string[];
  /** Directory with the input files (`content-K` per step, `template-K-HOST` per host). */
  inputDir: string;
  /** Where each host's recap line is collected. */
  outDir: string;
  steps: readonly StepScript[];
  /** Handler command run once when a notifying step changed (apply mode only). */
  handler?: string;
  mode: FloorMode;
}

/** A step's stdin as a driver redirection: a shared content file, or this host's rendered template. */
function stdinOf(input: DriverInput, index: number): string {
  const s = input.steps[index]!;
  if (!s.input) return '< /dev/null';
  if (s.input.kind === 'content') return `< ${shQuote(join(input.inputDir, contentFile(index)))}`;
  return `< ${shQuote(join(input.inputDir, templateFile(index, '')))}"$h"`;
}

export const contentFile = (index: number) => `content-${index}`;
export const templateFile = (index: number, host: string) => `template-${index}-${host}`;
export const scriptFile = (host: string) => `script-${host}`;

const COUNT = [
  'count() {',
  '  case "$1" in changed) ch=$((ch+1)) ;; ok) ok=$((ok+1)) ;; *) fl=$((fl+1)) ;; esac',
  '}',
  // The status is the last line of a step's output (cut in the shell: no process per step).
  "nl='",
  "'",
].join('\n');

const RECAP_LINE = `printf '%s : ok=%d changed=%d unreachable=0 failed=%d\\n' "$h" $((ok+ch)) "$ch" "$fl"`;

function finish(input: DriverInput, perHost: string): string {
  return [
    perHost,
    `for h in ${input.hosts.map(shQuote).join(' ')}; do host "$h" > ${shQuote(input.outDir)}/"$h".recap 2>&1 & done`,
    'wait',
    'echo "PLAY RECAP"',
    `for h in ${input.hosts.map(shQuote).join(' ')}; do cat ${shQuote(input.outDir)}/"$h".recap; done`,
    '',
  ].join('\n');
}

/** Floor (a): one ssh exec per step over a per-host ControlMaster. */
export function perStepDriver(input: DriverInput, controlDir: string): string {
  const ssh = [...input.ssh, '-o', 'ControlMaster=auto', '-o', `ControlPath=${controlDir}/%C`, '-o', 'ControlPersist=120'];
  const lines = [
    '#!/bin/sh',
    '# raw-SSH floor (a): one ssh exec per workload step, ControlMaster per host',
    `s() { ${ssh.map(shQuote).join(' ')} "$@"; }`,
    COUNT,
    'host() {',
    '  h=$1 ok=0 ch=0 fl=0 notify=""',
  ];
  input.steps.forEach((step, i) => {
    const run = `r=$(s "$h" ${shQuote(step.body)} ${stdinOf(input, i)})`;
    lines.push(`  if ${run}; then ${onSuccess(input, step)}; else count failed; fi`);
  });
  if (input.handler && input.mode === 'apply') {
    lines.push(`  if [ -n "$notify" ]; then if s "$h" ${shQuote(input.handler)} < /dev/null > /dev/null; then count changed; else count failed; fi; fi`);
  }
  lines.push(`  ${RECAP_LINE}`, '}');
  return finish(input, lines.join('\n'));
}

/** Counting after a step ran: its status line (and whether it notifies the handler), or plain ok. */
function onSuccess(input: DriverInput, step: StepScript): string {
  if (!step.reportsStatus) return 'count ok';
  const notifies = step.step.kind === 'lineinfile' && step.step.notify !== undefined && input.handler !== undefined;
  return `st=\${r##*"$nl"}; count "$st"${notifies ? '; [ "$st" = changed ] && notify=1' : ''}`;
}

/** The whole workload for one host as one sh script (contents inline, no stdin needed). */
export function hostScript(input: DriverInput, host: string, contents: (index: number) => string | undefined): string {
  const lines = [`h=${shQuote(host)} ok=0 ch=0 fl=0 notify=""`, COUNT];
  input.steps.forEach((step, i) => {
    const text = contents(i);
    const body = `(\n${step.body}\n)`;
    // `$( (` with a space: `$((` would start an arithmetic expansion.
    const run = text === undefined ? `r=$( ${body} < /dev/null)` : `r=$(printf '%s' ${shQuote(text)} | ${body})`;
    lines.push(`if ${run}; then ${onSuccess(input, step)}; else count failed; fi`);
  });
  if (input.handler && input.mode === 'apply') lines.push(`if [ -n "$notify" ]; then if ( ${input.handler} ) > /dev/null; then count changed; else count failed; fi; fi`);
  lines.push(RECAP_LINE, '');
  return lines.join('\n');
}

/** Floor (b): each host's script as the command of one ssh connection. */
export function oneScriptDriver(input: DriverInput): string {
  const ssh = [...input.ssh, '-o', 'ControlMaster=no', '-o', 'ControlPath=none'];
  const script = `${shQuote(join(input.inputDir, scriptFile('')))}"$h"`;
  const perHost = [
    '#!/bin/sh',
    '# raw-SSH floor (b): the whole workload as one script over one ssh connection per host',
    'host() {',
    '  h=$1',
    `  ${ssh.map(shQuote).join(' ')} "$h" "$(cat ${script})" < /dev/null || printf '%s : ok=0 changed=0 unreachable=1 failed=0\\n' "$h"`,
    '}',
  ].join('\n');
  return finish(input, perHost);
}
