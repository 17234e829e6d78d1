// Drawing the live rows on a terminal, cheaply. listr2 draws through log-update, which re-wraps the
// whole frame and measures every word grapheme by grapheme (string-width): ~3 ms a frame, several
// per cent of fleetplay's CPU at 500 hosts. Our rows are short single lines, so a frame is drawn by
// truncating each line to the terminal's width (measured per character, ANSI colours skipped) and
// replacing the previous frame in place.

// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks) take no columns.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/y;

/** Columns a code point takes: 0 for combining marks and controls, 2 for East Asian wide and emoji. */
export function charWidth(cp: number): 0 | 1 | 2 {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0x20e3) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f680 && cp <= 0x1f6ff) ||
    (cp >= 0x1f900 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Walks `line` as (escape sequence | character) pieces with their widths. */
function* pieces(line: string): Generator<{ text: string; width: number }> {
  let i = 0;
  while (i < line.length) {
    ANSI.lastIndex = i;
    const m = line.charCodeAt(i) === 0x1b ? ANSI.exec(line) : null;
    if (m) {
      yield { text: m[0], width: 0 };
      i += m[0].length;
      continue;
    }
    const cp = line.codePointAt(i)!;
    const text = String.fromCodePoint(cp);
    yield { text, width: charWidth(cp) };
    i += text.length;
  }
}

// Everything charWidth does not count as 1 column (controls, zero-width and wide ranges, and
// surrogates: astral characters); a string without any of them is as wide as it is long.
const NOT_SIMPLE = /[\x00-\x1f\x7f-\x9f\u0300-\u036f\u1100-\u115f\u200b-\u200f\u20e3\u2e80-\ua4cf\uac00-\ud7a3\ud800-\udfff\uf900-\ufaff\ufe00-\ufe0f\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
const ANSI_ALL = new RegExp(ANSI.source, 'g');

export function visibleWidth(line: string): number {
  // Plain ASCII (the common case) is as wide as it is long; so is coloured text of 1-column characters.
  if (/^[\x20-\x7e]*$/.test(line)) return line.length;
  const plain = line.includes('\x1b') ? line.replace(ANSI_ALL, '') : line;
  if (!NOT_SIMPLE.test(plain)) return plain.length;
  let w = 0;
  for (const p of pieces(line)) w += p.width;
  return w;
}

/** `line` cut to `columns` with an ellipsis; colours are kept and reset after a cut. */
export function truncateToWidth(line: string, columns: number): string {
  if (columns <= 0) return '';
  if (visibleWidth(line) <= columns) return line;
  let out = '';
  let w = 0;
  for (const p of pieces(line)) {
    if (p.width === 0) {
      out += p.text;
      continue;
    }
    if (w + p.width > columns - 1) break;
    out += p.text;
    w += p.width;
  }
  return `${out}…\x1b[0m`;
}

export interface FrameWriter {
  (frame: string): void;
  clear(): void;
  done(): void;
  /** Prints `text` above the frame (it scrolls away with the output) and draws the frame again below it. */
  persist(text: string): void;
}

const eraseLines = (n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += `\x1b[2K${i < n - 1 ? '\x1b[1A' : ''}`;
  return n ? `${s}\x1b[G` : s;
};

/**
 * Replaces the previous frame with each new one (log-update's interface, without re-wrapping; listr2
 * hides and shows the cursor itself).
 */
export function createFrameWriter(stream: NodeJS.WriteStream): FrameWriter {
  let previousLines = 0;
  let previous = '';
  const draw = (frame: string) => {
    const columns = stream.columns || 80;
    let lines = `${frame}\n`.split('\n');
    const rows = stream.rows || 24;
    // Lines above the screen's top cannot be erased: keep the frame within the terminal's height.
    if (lines.length > rows) lines = lines.slice(lines.length - rows);
    const text = lines.map((l) => truncateToWidth(l, columns)).join('\n');
    if (text === previous) return;
    stream.write(eraseLines(previousLines) + text);
    previous = text;
    previousLines = lines.length;
  };
  return Object.assign(draw, {
    clear() {
      stream.write(eraseLines(previousLines));
      previousLines = 0;
      previous = '';
    },
    done() {
      previousLines = 0;
      previous = '';
    },
    persist(text: string) {
      const frame = previous;
      stream.write(`${eraseLines(previousLines)}${text.endsWith('\n') ? text : `${text}\n`}${frame}`);
    },
  });
}
