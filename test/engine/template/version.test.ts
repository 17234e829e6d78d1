import { describe, expect, it } from 'vitest';
import { compareVersions, looseParts } from '../../../src/engine/template/version.js';

describe('loose version comparison (Ansible default)', () => {
  it('splits into numbers and lowercase words like LooseVersion', () => {
    expect(looseParts('5.8-3.0.7.0')).toEqual([5, 8, '-', 3, 0, 7, 0]);
    expect(looseParts('1.0rc1')).toEqual([1, 0, 'rc', 1]);
  });

  it.each([
    ['5.8-3.0.7.0', '23.10-1.1.9.0', -1],
    ['23.10-1.1.9.0', '24.01-0.3.3.1', -1],
    ['24.01-0.3.3.1', '24.01-0.3.3.1', 0],
    ['5.8-3.0.7.0', '5.8-2.0.3.0', 1],
    ['1.10', '1.9', 1],
    ['1.0', '1.0.0', -1],
    ['2.0', '2.0a', -1],
    ['10', '9', 1],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(Math.sign(compareVersions(a, b))).toBe(expected);
    expect(Math.sign(compareVersions(b, a))).toBe(-expected || 0);
  });

  it('orders MOFED releases correctly when sorted', () => {
    const versions = ['24.01-0.3.3.1', '5.8-3.0.7.0', '23.10-1.1.9.0', '5.8-2.0.3.0'];
    expect([...versions].sort(compareVersions)).toEqual(['5.8-2.0.3.0', '5.8-3.0.7.0', '23.10-1.1.9.0', '24.01-0.3.3.1']);
  });
});

describe('semantic versions', () => {
  it.each([
    ['1.2.3', '1.2.4', -1],
    ['1.2.3-rc.1', '1.2.3', -1],
    ['1.2.3-alpha', '1.2.3-beta', -1],
    ['1.2.3-rc.2', '1.2.3-rc.10', -1],
    ['2.0.0+build1', '2.0.0+build2', 0],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(Math.sign(compareVersions(a, b, 'semver'))).toBe(expected);
  });

  it('rejects what is not semver', () => {
    expect(() => compareVersions('1.2', '1.2.3', 'semver')).toThrow("'1.2' is not a semantic version");
  });
});
