// A YAML syntax error quotes the offending line with a caret under the column, and never quotes a
// secret while doing so (the run's secrets are not known before its files parse).
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, InvalidInputError, sourceExcerpt } from '../../../src/engine/contract/diagnostics.js';
import { maskSecretLine } from '../../../src/engine/contract/secret-names.js';
import { parseYaml } from '../../../src/engine/load/yaml-source.js';

function errorsOf(text: string): string[] {
  try {
    parseYaml(text, 'site.yml');
  } catch (err) {
    if (err instanceof InvalidInputError) return err.diagnostics.map(formatDiagnostic);
    throw err;
  }
  throw new Error('parsed without an error');
}

describe('YAML syntax errors', () => {
  it('show the line and a caret under the column', () => {
    const [first] = errorsOf('- hosts: all\n  tasks:\n    - debug: {msg: [1, 2}\n');
    expect(first).toBe(
      'site.yml:3:25: Flow sequence in block collection must be sufficiently indented and end with a ]\n' +
        '  3 |     - debug: {msg: [1, 2}\n' +
        '                              ^',
    );
  });

  it('keep tabs in the caret line so it lines up under a tab-indented source', () => {
    expect(sourceExcerpt('\tkey: [x', 1, 7)).toBe('  1 | \tkey: [x\n      \t     ^');
  });

  it('mask the value of a secret-named key and any vault text in the quoted line', () => {
    const [first] = errorsOf('db_password: hunter2-very-secret: [\n');
    expect(first).not.toContain('hunter2');
    expect(first).toContain('db_password: ********');
    expect(maskSecretLine('  token: $ANSIBLE_VAULT;1.1;AES256')).toBe('  token: ********');
    expect(maskSecretLine('  - name: install {{ pkg }}')).toBe('  - name: install {{ pkg }}');
  });
});
