import { describe, expect, it } from 'vitest';
import { SUDO_PROMPT_MARKER } from '../../../../src/engine/connection/become.js';
import { ChannelOpenRefused, ChannelPool } from '../../../../src/engine/connection/ssh/channel-pool.js';
import { BECOME_STARTED_MARKER, SudoPrompt } from '../../../../src/engine/connection/ssh/sudo-prompt.js';

describe('sudo password prompt on a plain channel', () => {
  it('answers the first prompt once, even when the marker arrives split across chunks', () => {
    const p = new SudoPrompt('s3cret');
    const half = Math.floor(SUDO_PROMPT_MARKER.length / 2);
    expect(p.feed(SUDO_PROMPT_MARKER.slice(0, half))).toEqual({ passthrough: '' });
    expect(p.feed(SUDO_PROMPT_MARKER.slice(half))).toEqual({ passthrough: '', answer: 's3cret\n' });
    const started = p.feed(`${BECOME_STARTED_MARKER}\nreal stderr`);
    expect(started).toEqual({ passthrough: 'real stderr', started: true });
    expect(p.feed(' more')).toEqual({ passthrough: ' more' });
    expect(p.finalStderr('x')).toBe('x');
    expect(p.refused).toBe(false);
  });

  it('starts without answering when sudo does not ask (NOPASSWD, cached)', () => {
    const p = new SudoPrompt('pw');
    expect(p.feed(`${BECOME_STARTED_MARKER}\n`)).toEqual({ passthrough: '', started: true });
  });

  it('gives up on a second prompt and explains, without the password', () => {
    const p = new SudoPrompt('pw-never-shown');
    expect(p.feed(SUDO_PROMPT_MARKER).answer).toBe('pw-never-shown\n');
    const again = p.feed(`Sorry, try again.\n${SUDO_PROMPT_MARKER}`);
    expect(again.giveUp).toBe(true);
    expect(again.answer).toBeUndefined();
    const final = p.finalStderr('sudo: 1 incorrect password attempt\n');
    expect(p.refused).toBe(true);
    expect(final).toContain('become failed: the become password was rejected');
    expect(final).not.toContain(SUDO_PROMPT_MARKER);
    expect(final).not.toContain('pw-never-shown');
  });
});

describe('channel pool', () => {
  it('never runs more than its limit at once', async () => {
    const pool = new ChannelPool(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        pool.run(async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('retries refused opens, lowering its limit to what the server accepted', async () => {
    const pool = new ChannelPool(6);
    let open = 0;
    const serverMax = 2;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        pool.run(async () => {
          if (open >= serverMax) throw new ChannelOpenRefused('(SSH) Channel open failure: open failed');
          open++;
          await new Promise((r) => setTimeout(r, 3));
          open--;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(pool.currentLimit).toBeLessThanOrEqual(serverMax + 1);
  });

  it('does not retry other failures', async () => {
    const pool = new ChannelPool(2);
    let calls = 0;
    await expect(
      pool.run(async () => {
        calls++;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });
});
