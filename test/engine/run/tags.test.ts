import { describe, expect, it } from 'vitest';
import { startAtMatches, tagsSelected } from '../../../src/engine/run/tags.js';

const sel = (tags: string[], only: string[] = [], skip: string[] = []) => tagsSelected(tags, { only, skip });

describe('tagsSelected', () => {
  it('runs everything but never-tagged tasks by default', () => {
    expect(sel([])).toBe(true);
    expect(sel(['web'])).toBe(true);
    expect(sel(['never'])).toBe(false);
    expect(sel(['never', 'debug'])).toBe(false);
  });

  it('selects by --tags', () => {
    expect(sel(['web'], ['web'])).toBe(true);
    expect(sel(['db'], ['web'])).toBe(false);
    expect(sel([], ['web'])).toBe(false);
  });

  it('runs always-tagged tasks unless always is skipped explicitly', () => {
    expect(sel(['always'], ['web'])).toBe(true);
    expect(sel(['always'], [], ['web'])).toBe(true);
    expect(sel(['always'], [], ['always'])).toBe(false);
    expect(sel(['always', 'web'], [], ['web'])).toBe(false);
  });

  it('runs never-tagged tasks only when one of their tags is asked for', () => {
    expect(sel(['never', 'debug'], ['debug'])).toBe(true);
    expect(sel(['never'], ['never'])).toBe(true);
    expect(sel(['never', 'debug'], ['all'])).toBe(false);
  });

  it('knows tagged and untagged', () => {
    expect(sel([], ['untagged'])).toBe(true);
    expect(sel(['web'], ['untagged'])).toBe(false);
    expect(sel(['web'], ['tagged'])).toBe(true);
    expect(sel([], ['tagged'])).toBe(false);
    expect(sel(['web'], [], ['tagged'])).toBe(false);
    expect(sel([], [], ['tagged'])).toBe(true);
  });

  it('lets --skip-tags win over --tags', () => {
    expect(sel(['web', 'slow'], ['web'], ['slow'])).toBe(false);
    expect(sel(['web'], [], ['all'])).toBe(false);
    expect(sel(['always'], [], ['all'])).toBe(true);
  });
});

describe('startAtMatches', () => {
  it('matches names exactly, by glob, or with the role prefix', () => {
    expect(startAtMatches('install', 'install')).toBe(true);
    expect(startAtMatches('install', 'install packages')).toBe(false);
    expect(startAtMatches('install*', 'install packages')).toBe(true);
    expect(startAtMatches('web : start', 'start', 'web')).toBe(true);
    expect(startAtMatches('*start', 'start', 'web')).toBe(true);
    expect(startAtMatches('[ab]x', 'bx')).toBe(true);
    expect(startAtMatches('a.c', 'abc')).toBe(false);
    expect(startAtMatches('x', undefined)).toBe(false);
  });

  it("reads brackets as Python's fnmatch does, like host patterns", () => {
    expect(startAtMatches('step [!12]', 'step 3')).toBe(true);
    expect(startAtMatches('step [!12]', 'step 2')).toBe(false);
    // A leading `^` is a member, not a negation; a `]` right after `[` is a member too.
    expect(startAtMatches('step [^1]', 'step ^')).toBe(true);
    expect(startAtMatches('step [^1]', 'step 2')).toBe(false);
    expect(startAtMatches('step []]', 'step ]')).toBe(true);
    expect(startAtMatches('step [1', 'step [1')).toBe(true);
  });
});
