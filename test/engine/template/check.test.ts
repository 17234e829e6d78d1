import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/engine/contract/diagnostics.js';
import { isCompiled } from '../../../src/engine/template/engine.js';
import { renderTemplateFile } from '../../../src/engine/template/index.js';
import { errorOf, layer, loc, t } from '../../support/template-helpers.js';

const lines = (ds: ReturnType<typeof t.check>) => ds.map(formatDiagnostic);

describe('templater.check (parse only, at load time)', () => {
  it('accepts plain text and well-formed templates, whatever their variables', () => {
    expect(t.check('no template here }}', loc, 'string')).toEqual([]);
    expect(t.check("a {{ nope.y | default(1) }} {% if also_unknown is defined %}x{% endif %}", loc, 'string')).toEqual([]);
    expect(t.check("result.rc == 0 and 'x' in nothing_known", loc, 'expr')).toEqual([]);
    expect(t.check('{{ x }} == 1', loc, 'expr')).toEqual([]);
  });

  it('reports unknown filters and tests at the name, with a suggestion', () => {
    expect(lines(t.check('msg {{ x | lenght }}', loc, 'string'))).toEqual(["play.yml:10:16: no filter named 'lenght' (did you mean 'length'?)"]);
    expect(lines(t.check('{{ x is definde }}', loc, 'string'))).toEqual(["play.yml:10:13: no test named 'definde' (did you mean 'defined'?)"]);
    expect(lines(t.check('x | lenght > 0', loc, 'expr'))).toEqual(["play.yml:10:9: no filter named 'lenght' (did you mean 'length'?)"]);
    expect(lines(t.check('x is definde', loc, 'expr'))).toEqual(["play.yml:10:10: no test named 'definde' (did you mean 'defined'?)"]);
  });

  it('reports syntax errors where the parser stopped', () => {
    expect(lines(t.check('{{ x | }}', loc, 'string'))).toEqual(["play.yml:10:12: template error: expected a name, got '}}'"]);
    expect(lines(t.check('{% if x %}a', loc, 'string'))).toEqual(['play.yml:10:16: template error: in {% if %}: expected elif, else, or endif, reached the end of the template']);
    expect(lines(t.check('{% include "x.j2" %}', loc, 'string'))).toEqual(["play.yml:10:8: 'include' is not supported in fleetplay templates"]);
    expect(lines(t.check('x ==', loc, 'expr'))).toEqual(['play.yml:10:10: template error: unexpected end of the expression']);
    expect(lines(t.check('a b', loc, 'expr'))).toEqual(['play.yml:10:7: template error: expected the end of the expression here']);
  });

  it('refuses what a condition cannot be', () => {
    expect(lines(t.check('{% if x %}', loc, 'expr'))).toEqual(["play.yml:10:5: a condition must be an expression; '{%' tags are not allowed here"]);
    expect(lines(t.check('  ', loc, 'expr'))).toEqual(['play.yml:10:5: empty expression']);
  });

  it('gives exactly the diagnostic rendering would give', () => {
    const broken = ['{{ x | lenght }}', 'a {{ x is definde }} b', '{% if %}y{% endif %}', '{{ (1, }}', '{% for i in %}{% endfor %}', '{{ x | default(1).y }}', 'a {{ . endif }}'];
    for (const text of broken) {
      expect(t.check(text, loc, 'string'), text).toEqual(errorOf(() => t.render(text, [layer({ x: 1 })], loc)).diagnostics);
    }
    for (const expr of ['x | lenght', 'x is definde', 'x ==', '{{ x }} == {{', 'a b']) {
      expect(t.check(expr, loc, 'expr'), expr).toEqual(errorOf(() => t.evaluateCondition(expr, [layer({ x: 1 })], loc)).diagnostics);
    }
  });

  it('checks a template file with the file positions renderTemplateFile reports', () => {
    const text = 'a\n{{ x | lenght }}\n';
    expect(lines(t.checkFile(text, 'templates/t.j2'))).toEqual(["templates/t.j2:2:8: no filter named 'lenght' (did you mean 'length'?)"]);
    expect(t.checkFile(text, 'templates/t.j2')).toEqual(errorOf(() => renderTemplateFile(text, 'templates/t.j2', [layer({ x: 1 })])).diagnostics);
    expect(t.checkFile('{% for d in dirs %}\n{{ d }}\n{% endfor %}\n', 't.j2')).toEqual([]);
  });

  it('leaves what it compiled in the cache that rendering uses', () => {
    const unique = `checked-${process.hrtime.bigint()}`;
    const text = `{{ '${unique}' ~ x }}`;
    const expr = `x == '${unique}'`;
    expect([isCompiled(text, 'string'), isCompiled(expr, 'expr')]).toEqual([false, false]);
    expect(t.check(text, loc, 'string')).toEqual([]);
    expect(t.check(expr, loc, 'expr')).toEqual([]);
    expect([isCompiled(text, 'string'), isCompiled(expr, 'expr')]).toEqual([true, true]);
    expect(t.render(text, [layer({ x: 1 })], loc)).toBe(`${unique}1`);
    expect(t.evaluateCondition(expr, [layer({ x: unique })], loc)).toBe(true);
  });
});
