// What each workload step is in plain POSIX sh on the host, for the raw-SSH floors: idempotent, as
// little work as the step allows, reporting `ok` or `changed` on its last line. Content for copy
// and template arrives on stdin. In check mode nothing is written (not even a temp file); commands
// are skipped, as the tools skip them, and content steps print a unified diff.
import { shQuote } from '../../src/engine/connection/quote.js';
import { statMode, type Step } from '../workload.js';

export type FloorMode = 'apply' | 'check';

export interface StepScript {
  step: Step;
  /** Remote sh text. */
  body: string;
  /** Where stdin comes from: the copy content, or this host's rendered template. */
  input?: { kind: 'content'; text: string } | { kind: 'template'; source: string };
  /** Whether the last output line is the step's status (else exit 0 = ok). */
  reportsStatus: boolean;
}

/** Python `re` (as Ansible reads lineinfile regexps) → POSIX ERE for grep -E. */
export function pythonRegexToEre(re: string): string {
  return re.replace(/\\(.)/g, (all, c: string) => {
    if (c === 's') return '[[:space:]]';
    if (c === 'S') return '[^[:space:]]';
    if (c === 'd') return '[0-9]';
    if ('.^$*+?()[]{}|\\/-='.includes(c)) return all;
    throw new Error(`bench: regexp escape '${all}' in '${re}' has no POSIX ERE equivalent the floors know`);
  });
}

function lineinfile(path: string, regexp: string, line: string, mode: FloorMode): string {
  const f = shQuote(path);
  const l = shQuote(line);
  // awk gets the line through the environment: -v would interpret backslashes.
  const replaced = `L=${l} awk -v n="$n" 'NR==n{print ENVIRON["L"];next}1' ${f}`;
  const appended = `{ cat ${f}; printf '%s\\n' ${l}; }`;
  const write = (producer: string) =>
    mode === 'apply'
      ? `t=$(mktemp ${f}.XXXXXX) && ${producer} > "$t" && chmod --reference=${f} "$t" && chown --reference=${f} "$t" && mv -f "$t" ${f} && echo changed`
      : `{ ${producer} | diff -u ${f} - ; echo changed; }`;
  return [
    `n=$(grep -nE ${shQuote(pythonRegexToEre(regexp))} ${f} | tail -n 1 | cut -d: -f1)`,
    `if [ -n "$n" ]; then`,
    `  if [ "$(sed -n "\${n}p" ${f})" = ${l} ]; then echo ok; else ${write(replaced)}; fi`,
    `elif grep -qxF -e ${l} ${f}; then echo ok`,
    `else ${write(appended)}; fi`,
  ].join('\n');
}

function content(dest: string, modeArg: string, mode: FloorMode): string {
  const d = shQuote(dest);
  const m = statMode(modeArg);
  const modeOk = `[ "$(stat -c %a ${d})" = ${m} ]`;
  if (mode === 'check') {
    return [
      `if [ -f ${d} ]; then`,
      `  if diff -u ${d} -; then if ${modeOk}; then echo ok; else echo changed; fi; else echo changed; fi`,
      `else diff -u /dev/null - ; echo changed; fi`,
    ].join('\n');
  }
  return [
    `t=$(mktemp ${shQuote(`${dest.replace(/\/[^/]*$/, '')}/.fbtmp.`)}XXXXXX) && cat > "$t" || exit 1`,
    `if [ -f ${d} ] && cmp -s "$t" ${d}; then rm -f "$t"; if ${modeOk}; then echo ok; else chmod ${m} ${d} && echo changed; fi`,
    `else chmod ${m} "$t" && mv -f "$t" ${d} && echo changed; fi`,
  ].join('\n');
}

function directory(path: string, modeArg: string, mode: FloorMode): string {
  const p = shQuote(path);
  const m = statMode(modeArg);
  const fix = mode === 'apply' ? `mkdir -p ${p} && chmod ${m} ${p} && echo changed` : 'echo changed';
  return `if [ -d ${p} ] && [ "$(stat -c %a ${p})" = ${m} ]; then echo ok; else ${fix}; fi`;
}

/** The step as sh, or undefined when the mode skips it (commands in check mode). */
export function stepScript(step: Step, mode: FloorMode): StepScript | undefined {
  switch (step.kind) {
    case 'command':
    case 'shell':
      return mode === 'check' ? undefined : { step, body: step.cmd, reportsStatus: false };
    case 'lineinfile':
      return { step, body: lineinfile(step.path, step.regexp, step.line, mode), reportsStatus: true };
    case 'stat':
      return { step, body: `stat -c '%s %a %u %g %Y %i' ${shQuote(step.path)} && sha1sum ${shQuote(step.path)} && echo ok`, reportsStatus: true };
    case 'copy':
      return { step, body: content(step.dest, step.mode, mode), input: { kind: 'content', text: step.content }, reportsStatus: true };
    case 'template':
      return { step, body: content(step.dest, step.mode, mode), input: { kind: 'template', source: step.source }, reportsStatus: true };
    case 'directory':
      return { step, body: directory(step.path, step.mode, mode), reportsStatus: true };
  }
}

export function stepScripts(steps: readonly Step[], mode: FloorMode): StepScript[] {
  return steps.map((s) => stepScript(s, mode)).filter((s): s is StepScript => s !== undefined);
}
