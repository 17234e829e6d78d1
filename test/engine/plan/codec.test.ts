import { describe, expect, it } from 'vitest';
import { decodePlanValue, encodePlanValue, planDigest } from '../../../src/engine/plan/codec.js';

describe('plan codec', () => {
  it('round-trips plain values and Buffers', () => {
    const plan = { changes: [{ kind: 'content', path: '/etc/x', data: Buffer.from([0, 1, 255]), want: { mode: 0o644 } }], reason: 'r' };
    const back = decodePlanValue<typeof plan>(encodePlanValue(plan));
    expect(back).toEqual(plan);
    expect(Buffer.isBuffer(back.changes[0]!.data)).toBe(true);
  });

  it('drops undefined fields, as JSON does', () => {
    expect(decodePlanValue(encodePlanValue({ a: 1, b: undefined }))).toEqual({ a: 1 });
  });

  it('digests the meaning: key order and undefined fields do not matter, content does', () => {
    const a = planDigest({ x: 1, y: [1, 'two', { z: Buffer.from('abc') }] });
    expect(planDigest({ y: [1, 'two', { z: Buffer.from('abc') }], x: 1, w: undefined })).toBe(a);
    expect(planDigest({ x: 1, y: [1, 'two', { z: Buffer.from('abd') }] })).not.toBe(a);
    expect(planDigest({ x: '1', y: [1, 'two', { z: Buffer.from('abc') }] })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a Buffer and its marker object are not confused in digests', () => {
    expect(planDigest(Buffer.from('abc'))).not.toBe(planDigest({ $bytes: Buffer.from('abc').toString('base64') }));
  });
});
