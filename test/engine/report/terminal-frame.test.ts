import { describe, expect, it } from 'vitest';
import { charWidth, createFrameWriter, truncateToWidth, visibleWidth } from '../../../src/engine/report/terminal-frame.js';

const green = (s: string) => `\x1b[32m${s}\x1b[39m`;
const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

describe('terminal widths', () => {
  it('counts ASCII by length, skips colours and links, and counts wide characters twice', () => {
    expect(visibleWidth('TASK [x]  ok 3')).toBe(14);
    expect(visibleWidth(`✔ ${green('ok 3')} · changed 1`)).toBe(18);
    expect(visibleWidth('\x1b]8;;https://example.com\x07link\x1b]8;;\x07')).toBe(4);
    expect(visibleWidth('GPU 分区')).toBe(8);
    expect(visibleWidth('e\u0301')).toBe(1);
    expect(charWidth(0x1f680)).toBe(2);
    expect(visibleWidth(`\x1b[33m⠋\x1b[39m TASK [x]  ok 1 · changed 0`)).toBe(28);
    expect(visibleWidth('\x1b[1m🚀 go\x1b[0m')).toBe(5);
  });

  it('gives the same widths on its fast path as character by character', () => {
    const samples = ['✔ TASK [a] · b', '⚠ ❯ … ◼', 'café ñ', 'a\u200bb', 'x\u0301y', '分区', '🚀x', '\x1b[32mok\x1b[0m · ✖'];
    const slow = (t: string) => [...t.replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]/g, '')].reduce((w, ch) => w + charWidth(ch.codePointAt(0)!), 0);
    for (const t of samples) expect(visibleWidth(t), t).toBe(slow(t));
  });

  it('cuts a line to the width with an ellipsis, keeping colours and resetting them after', () => {
    expect(truncateToWidth('short', 10)).toBe('short');
    expect(truncateToWidth('TASK [configure the fabric]', 12)).toBe('TASK [confi…\x1b[0m');
    const cut = truncateToWidth(`${green('failed 1')} · unreachable 0`, 10);
    expect(strip(cut)).toBe('failed 1 …');
    expect(cut.startsWith('\x1b[32m')).toBe(true);
    // A wide character that would straddle the edge is left out whole.
    expect(strip(truncateToWidth('ab分区cd', 5))).toBe('ab分…');
    expect(visibleWidth(truncateToWidth('x'.repeat(500), 80))).toBe(80);
  });
});

describe('frame writer', () => {
  function fakeStream(columns: number, rows: number) {
    let written = '';
    const stream = { columns, rows, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    return { stream, take: () => [written, (written = '')][0]! };
  }

  it('replaces the previous frame by erasing exactly its lines, and skips identical frames', () => {
    const { stream, take } = fakeStream(40, 24);
    const draw = createFrameWriter(stream);
    draw('a\nb');
    expect(take()).toBe('a\nb\n');
    draw('a\nb');
    expect(take()).toBe('');
    draw('a\nc\nd');
    // Three lines were on screen (two rows and the empty line after them).
    expect(take()).toBe('\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[Ga\nc\nd\n');
    draw.clear();
    expect(take()).toBe('\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[G');
  });

  it('keeps a frame within the terminal: lines cut to its width, the oldest lines dropped past its height', () => {
    const { stream, take } = fakeStream(10, 3);
    const draw = createFrameWriter(stream);
    draw('row 1\nrow 2\nrow 3 is much too long');
    expect(take()).toBe('row 2\nrow 3 is …\x1b[0m\n');
  });
});
