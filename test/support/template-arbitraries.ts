// Generated Jinja: well-formed expressions built from the filters, tests, methods and operators
// Ansible users write, token soup that is mostly not, and both wrapped in statements and text. The
// variable layers include lazy templates, self references and values of every type, so rendering
// (not only parsing) is exercised. Literal numbers stay small so no input asks for gigabytes.
import fc from 'fast-check';

export const TEMPLATE_VARS: Record<string, unknown> = {
  x: 1,
  s: 'Hello World',
  l: [3, 1, 2],
  d: { a: 1, b: [1, 2], c: { deep: 'yes' } },
  n: null,
  b: true,
  f: 2.5,
  lazy: '{{ x + 1 }}',
  chain: '{{ lazy }} and {{ s }}',
  self: '{{ self }}',
  bad: '{{ undefined_thing }}',
  json: '{"k": [1, 2]}',
  items: [{ key: 'a', value: 1 }],
  unicode: 'ünï ☃ 😀',
};

const names = fc.constantFrom(...Object.keys(TEMPLATE_VARS), 'missing', 'item', 'inventory_hostname', 'hostvars', 'groups', 'omit', 'range', 'lookup', 'loop', '__proto__', 'constructor', 'toString');
const literal = fc.oneof(
  fc.integer({ min: -100, max: 100 }).map(String),
  fc.constantFrom('1.5', '0', '-0', "'str'", '"dq"', "''", 'true', 'false', 'none', 'None', 'True', '[]', '{}', '[1, 2]', "{'a': 1}", "'\\n'", "'ü'"),
);
const filterCall = fc.constantFrom(
  'default(1)', 'default(omit)', 'bool', 'int', 'float', 'string', 'lower', 'upper', 'join(",")', 'length', 'quote', 'to_json', 'from_json', 'to_yaml', 'to_nice_json',
  "regex_replace('a', 'b')", "regex_replace('(', 'b')", "regex_search('\\\\d+')", 'b64encode', 'b64decode', 'basename', 'dirname', "combine({'z': 1})", 'dict2items',
  'items2dict', "ternary('y', 'n')", 'mandatory', 'first', 'last', 'unique', 'sort', 'reverse', 'list', 'abs', 'round', 'trim', 'replace("a", "b")', 'split(",")',
  'map(attribute="key")', 'select("defined")', 'selectattr("key")', 'min', 'max', 'sum', 'nofilter', 'int(base=99)', 'random', 'hash("md5")', 'version("1.0", ">=")',
);
const testName = fc.constantFrom('defined', 'undefined', 'none', 'changed', 'failed', 'skipped', 'succeeded', 'string', 'number', 'mapping', 'sequence', 'even', 'divisibleby(0)', 'match("a")', 'search("(")', 'version("2", "<")', 'notatest');
const method = fc.constantFrom('split()', 'split(",")', 'strip()', 'startswith("H")', 'endswith("d")', 'replace("l", "L")', 'index("o")', 'index("zz")', 'items()', 'keys()', 'values()', 'get("a")', 'get()', 'upper()', 'format(1)', 'nomethod()', 'pop()', 'append(1)', 'update({})');
const binop = fc.constantFrom('+', '-', '*', '/', '//', '%', '**', '~', '==', '!=', '<', '>', '<=', '>=', 'and', 'or', 'in', 'not in', 'is', '|');

const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    names,
    fc.tuple(tie('e'), names).map(([e, k]) => `${e}.${k}`),
    fc.tuple(tie('e'), tie('e')).map(([e, i]) => `${e}[${i}]`),
    fc.tuple(tie('e'), filterCall).map(([e, f]) => `${e} | ${f}`),
    fc.tuple(tie('e'), testName, fc.boolean()).map(([e, t, not]) => `${e} is ${not ? 'not ' : ''}${t}`),
    fc.tuple(tie('e'), method).map(([e, m]) => `${e}.${m}`),
    fc.tuple(tie('e'), binop, tie('e')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, c, b]) => `${a} if ${c} else ${b}`),
    tie('e').map((e) => `not ${e}`),
    tie('e').map((e) => `(${e})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `[${a}, ${b}]`),
    fc.tuple(tie('e'), tie('e')).map(([k, v]) => `{${k}: ${v}}`),
    fc.tuple(names, tie('e')).map(([f, a]) => `${f}(${a})`),
    fc.constantFrom("lookup('env', 'HOME')", "lookup('vars', 'x')", "lookup('nope', 'x')", "lookup('file', '/nonexistent')", 'range(5)', 'range(1, 10, 0)', 'query("vars", "x")'),
  ),
})).e;

const TOKENS = ['{{', '}}', '{%', '%}', '{#', '#}', 'if', 'else', 'elif', 'endif', 'for', 'in', 'endfor', 'set', 'raw', 'endraw', 'macro', 'x', 's', '|', '.', ',', '(', ')', '[', ']', '{', '}', ':', "'", '"', '~', '-', '+', '*', '==', 'is', 'not', 'defined', 'default', '1', ' ', '\n', '\\'];

/** Statement and text shapes around generated expressions, plus raw token soup. */
export const templateText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: expr.map((e) => `{{ ${e} }}`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('', 'text ', 'a\nb '), expr, fc.constantFrom('', ' tail', '\n')).map(([a, e, b]) => `${a}{{ ${e} }}${b}`) },
  { weight: 1, arbitrary: fc.tuple(expr, expr).map(([c, e]) => `{% if ${c} %}{{ ${e} }}{% else %}no{% endif %}`) },
  { weight: 1, arbitrary: fc.tuple(expr, expr).map(([l, e]) => `{% for it in ${l} %}{{ loop.index }}:{{ ${e} }}{% endfor %}`) },
  { weight: 1, arbitrary: fc.tuple(expr).map(([e]) => `{% set v = ${e} %}{{ v }}`) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 14 }).map((t) => t.join('')) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 10 }).map((t) => t.join(' ')) },
);

/** `when:` conditions: bare expressions, wrapped ones (Ansible warns but accepts), and booleans. */
export const conditionText: fc.Arbitrary<string | boolean> = fc.oneof(
  { weight: 4, arbitrary: expr },
  { weight: 1, arbitrary: expr.map((e) => `{{ ${e} }}`) },
  { weight: 1, arbitrary: fc.constantFrom<string | boolean>(true, false, '', ' ', '{% if x %}', '{{ }}', 'x ==', 'x is', '(x', 'x and', '1 +', "x == 'a", 'x|', 'x.') },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 8 }).map((t) => t.join(' ')) },
);
