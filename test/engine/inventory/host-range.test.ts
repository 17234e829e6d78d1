import { describe, expect, it } from 'vitest';
import { HostSpecError, parseHostSpec } from '../../../src/engine/inventory/host-range.js';

describe('host specs', () => {
  it('expands numeric, padded, stepped, letter and repeated ranges', () => {
    expect(parseHostSpec('node[1:3]').names).toEqual(['node1', 'node2', 'node3']);
    expect(parseHostSpec('hpc-node[08:11]').names).toEqual(['hpc-node08', 'hpc-node09', 'hpc-node10', 'hpc-node11']);
    expect(parseHostSpec('n[:4:2]').names).toEqual(['n0', 'n2', 'n4']);
    expect(parseHostSpec('rack[a:b]-[1:2]').names).toEqual(['racka-1', 'racka-2', 'rackb-1', 'rackb-2']);
    expect(parseHostSpec('x[y:B]').names).toEqual(['xy', 'xz', 'xA', 'xB']);
  });

  it('splits ports, also on bracketed IPv6 addresses', () => {
    expect(parseHostSpec('db1:2222')).toEqual({ names: ['db1'], port: 2222 });
    expect(parseHostSpec('web[1:2]:22')).toEqual({ names: ['web1', 'web2'], port: 22 });
    expect(parseHostSpec('[2001:db8::1]:22')).toEqual({ names: ['2001:db8::1'], port: 22 });
    expect(parseHostSpec('2001:db8::1')).toEqual({ names: ['2001:db8::1'] });
  });

  it('rejects bad ranges and ports with the offset of the problem', () => {
    const bad = (spec: string) => {
      try {
        parseHostSpec(spec);
      } catch (e) {
        expect(e).toBeInstanceOf(HostSpecError);
        return [(e as HostSpecError).message, (e as HostSpecError).offset];
      }
      throw new Error(`accepted ${spec}`);
    };
    expect(bad('n[01:5]')).toEqual(["host range '[01:5]': zero-padded begin and end must have the same width", 2]);
    expect(bad('n[1:a]')).toEqual(["host range '[1:a]': begin and end must both be numbers or both single letters", 2]);
    expect(bad('n[1:4:0]')).toEqual(["host range '[1:4:0]': the step must be a positive whole number", 2]);
    expect(bad('n[1:4')).toEqual(["unclosed '[' in host range 'n[1:4'", 1]);
    expect(bad('abc[1]')).toEqual(["host range '[1]' must be [begin:end] or [begin:end:step]", 4]);
    expect(bad('db:ssh')).toEqual(["'db:ssh': the port after ':' must be a number", 3]);
    expect(bad('db:70000')).toEqual(["'db:70000': port 70000 is out of range (1-65535)", 3]);
  });
});
