// Ansible's default colours (ok green, changed yellow, skipped cyan, failed red, unreachable bright
// red, warnings bright magenta), applied only when the output wants colour.
export type Colour = 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable' | 'warning' | 'diffAdd' | 'diffRemove' | 'diffHunk';

const CODES: Record<Colour, string> = {
  ok: '32',
  changed: '33',
  skipped: '36',
  failed: '31',
  unreachable: '1;31',
  warning: '1;35',
  diffAdd: '32',
  diffRemove: '31',
  diffHunk: '36',
};

export type Paint = (colour: Colour, text: string) => string;

export function painter(enabled: boolean): Paint {
  return enabled ? (colour, text) => `\x1b[${CODES[colour]}m${text}\x1b[0m` : (_colour, text) => text;
}
