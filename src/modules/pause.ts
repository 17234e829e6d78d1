// pause: waits a number of seconds or minutes, or until the user answers a prompt. It runs on the
// controller and never touches the host. A prompt without a time needs an interactive terminal: when
// fleetplay's stdin is not a TTY (CI, cron, a pipe) it does not wait and warns, as Ansible does.
import { createInterface } from 'node:readline';
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';

const num = (description: string) => Type.Optional(Type.Union([Type.Number(), Type.String()], { description }));
const schema = Type.Object(
  {
    seconds: num('Pause this many seconds (0 or less waits 1 second).'),
    minutes: num('Pause this many minutes.'),
    prompt: Type.Optional(Type.String({ description: 'Text to show; without seconds/minutes, wait for Enter and return what was typed.' })),
    echo: Type.Optional(Type.Boolean({ description: 'Show what the user types at the prompt (default true).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

export interface PauseOutcome {
  start: string;
  stop: string;
  /** Seconds waited (whole seconds, as Ansible reports). */
  delta: number;
  user_input: string;
  /** Why it did not wait for input. */
  warning?: string;
  interrupted?: boolean;
}

/** Seconds to wait, or null for "until Enter"; a string that is no number is an error. */
export function pauseSeconds(args: Args): number | null | string {
  const pick = args.minutes ?? args.seconds;
  if (pick === undefined) return null;
  const n = Number(pick);
  if (typeof pick === 'string' && (pick.trim() === '' || !Number.isFinite(n))) return `${args.minutes !== undefined ? 'minutes' : 'seconds'} must be a number, got '${pick}'`;
  const s = args.minutes !== undefined ? n * 60 : n;
  return s <= 0 ? 1 : s;
}

// Hosts of one task reach the prompt together: they share the one question (Ansible asks once).
let asking: Promise<string> | undefined;

function ask(prompt: string, echo: boolean, signal: AbortSignal): Promise<string> {
  asking ??= new Promise<string>((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (!echo) (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    const done = (answer: string) => {
      rl.close();
      asking = undefined;
      if (!echo) process.stderr.write('\n');
      resolve(answer);
    };
    signal.addEventListener('abort', () => done(''), { once: true });
    process.stderr.write(`[pause]\n${prompt}:\n`);
    rl.once('line', done);
  });
  return asking;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve(true)), { once: true });
  });

export const pause: Module<Args, PauseOutcome | { failed: string }, never> = {
  meta: {
    name: 'pause',
    description: 'Pause the play for a time, or until the user presses Enter at a prompt.',
    platforms: ['linux', 'windows'],
    checkMode: 'full',
    runsOn: 'controller',
    example: 'pause:\n  seconds: 30\n  prompt: letting the subnet manager settle',
    notes: [
      'It waits in check mode too, as Ansible does. With seconds or minutes, a prompt is only shown; nothing is read.',
      "Without seconds or minutes it waits for Enter on fleetplay's terminal, once for all the hosts of the task. When stdin is not a terminal (CI, a pipe) it does not wait: the task is ok with an empty user_input and a warning.",
    ],
    returns: {
      start: 'When the pause began.',
      stop: 'When it ended.',
      delta: 'Seconds paused.',
      user_input: 'What the user typed at the prompt (empty when timed or non-interactive).',
      echo: 'Whether input was echoed.',
      stdout: "'Paused for N seconds' or 'Paused for N minutes'.",
    },
  },
  schema,
  async read(ctx, args) {
    const secs = pauseSeconds(args);
    if (typeof secs === 'string') return { failed: secs };
    const t0 = new Date();
    let user_input = '';
    let warning: string | undefined;
    let interrupted = false;
    if (secs !== null) interrupted = await sleep(secs * 1000, ctx.signal);
    else if (!process.stdin.isTTY) warning = 'Not waiting for response to prompt as stdin is not interactive';
    else user_input = await ask(args.prompt ?? 'Press enter to continue, Ctrl+C to interrupt', args.echo !== false, ctx.signal);
    const t1 = new Date();
    return { start: t0.toISOString(), stop: t1.toISOString(), delta: Math.round((t1.getTime() - t0.getTime()) / 1000), user_input, warning, interrupted };
  },
  plan(args, cur) {
    if ('failed' in cur) return { changes: [], failed: cur.failed };
    if (cur.interrupted) return { changes: [], failed: 'pause interrupted' };
    const minutes = args.minutes !== undefined;
    const amount = minutes ? Number(args.minutes) : cur.delta;
    const stdout = `Paused for ${Number.isInteger(amount) ? amount : amount.toFixed(2)} ${minutes ? 'minutes' : 'seconds'}`;
    return {
      changes: [],
      reason: stdout,
      ...(cur.warning ? { warnings: [cur.warning] } : {}),
      result: { start: cur.start, stop: cur.stop, delta: cur.delta, user_input: cur.user_input, echo: args.echo !== false, stdout },
    };
  },
  async apply() {
    return { changed: false };
  },
};
