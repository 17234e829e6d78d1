// lineinfile's pure algorithm against a table of Ansible's behaviour (each row: what ansible-core's
// lineinfile produces for that file and those arguments).
import { describe, expect, it } from 'vitest';
import { type LineSpec, editLines } from '../../src/modules/lib/line-edit.js';
import { toBytes } from '../../src/modules/lib/py-regex.js';

type Row = [name: string, before: string | null, spec: Partial<LineSpec>, after: string, msg: string];

const present: Row[] = [
  ['replaces the LAST regexp match', 'a=1\nb=2\na=3\n', { regexp: '^a=', line: 'a=9' }, 'a=1\nb=2\na=9\n', 'line replaced'],
  ['firstmatch replaces the first', 'a=1\nb=2\na=3\n', { regexp: '^a=', line: 'a=9', firstmatch: true }, 'a=9\nb=2\na=3\n', 'line replaced'],
  ['appends when nothing matches', 'x\n', { regexp: '^a=', line: 'a=1' }, 'x\na=1\n', 'line added'],
  ['adds the missing final newline before appending', 'x', { regexp: '^a=', line: 'a=1' }, 'x\na=1\n', 'line added'],
  ['appends to an empty file', '', { line: 'only' }, 'only\n', 'line added'],
  ['leaves an identical line alone when regexp does not match', 'b\nLINE\n', { regexp: '^zzz', line: 'LINE' }, 'b\nLINE\n', ''],
  ['leaves a matching identical line alone', 'a=1\n', { regexp: '^a=', line: 'a=1' }, 'a=1\n', ''],
  ['without regexp, an existing exact line is enough', 'x\ny\n', { line: 'x' }, 'x\ny\n', ''],
  ['inserts after the LAST insertafter match', '[s]\na\n[s]\nb\n', { insertafter: '^\\[s\\]', line: 'new' }, '[s]\na\n[s]\nnew\nb\n', 'line added'],
  ['firstmatch inserts after the first', '[s]\na\n[s]\nb\n', { insertafter: '^\\[s\\]', line: 'new', firstmatch: true }, '[s]\nnew\na\n[s]\nb\n', 'line added'],
  ['insertafter that matches nothing appends at EOF', 'a\nb\n', { insertafter: '^nomatch', line: 'new' }, 'a\nb\nnew\n', 'line added'],
  ['insertafter is ignored when regexp matches', 'k=1\n[s]\n', { regexp: '^k=', insertafter: '^\\[s\\]', line: 'k=2' }, 'k=2\n[s]\n', 'line replaced'],
  ['insertafter used when regexp does not match', 'x\n[s]\ny\n', { regexp: '^k=', insertafter: '^\\[s\\]', line: 'k=2' }, 'x\n[s]\nk=2\ny\n', 'line added'],
  ['insertbefore the LAST match', 'a\n#end\nb\n#end\n', { insertbefore: '^#end', line: 'new' }, 'a\n#end\nb\nnew\n#end\n', 'line added'],
  ['insertbefore BOF', 'a\n', { insertbefore: 'BOF', line: 'top' }, 'top\na\n', 'line added'],
  ['insertafter BOF', 'a\n', { insertafter: 'BOF', line: 'top' }, 'top\na\n', 'line added'],
  ['insertafter EOF explicitly', 'a\n', { insertafter: 'EOF', line: 'end' }, 'a\nend\n', 'line added'],
  ['insertafter the last line (with newline)', 'a\n[s]\n', { insertafter: '^\\[s\\]', line: 'new' }, 'a\n[s]\nnew\n', 'line added'],
  // Ansible does not add a newline to an unterminated last line in this branch; we keep parity.
  ['insertafter the unterminated last line (Ansible quirk)', 'a\n[s]', { insertafter: '^\\[s\\]', line: 'new' }, 'a\n[s]new\n', 'line added'],
  ['backrefs expand numbered groups', 'opt=off\n', { regexp: '^(\\w+)=.*$', line: '\\1=on', backrefs: true }, 'opt=on\n', 'line replaced'],
  ['backrefs expand named groups', 'port = 80\n', { regexp: '^(?P<k>port)\\s*=.*', line: '\\g<k> = 8080', backrefs: true }, 'port = 8080\n', 'line replaced'],
  ['backrefs never insert without a match', 'x\n', { regexp: '^(nope)', line: '\\1', backrefs: true }, 'x\n', ''],
  ['search_string replaces the last line containing it', 'ab\ncab\n', { searchString: 'ab', line: 'X' }, 'ab\nX\n', 'line replaced'],
  ['a CRLF line is replaced with a LF line', 'a=1\r\nb\r\n', { regexp: '^a=', line: 'a=2' }, 'a=2\nb\r\n', 'line replaced'],
  ['$ matches before the newline, as Python re', 'a=1\n', { regexp: '^a=1$', line: 'a=2' }, 'a=2\n', 'line replaced'],
  ['inline (?i) flag', 'KEY=1\n', { regexp: '(?i)^key=', line: 'key=2' }, 'key=2\n', 'line replaced'],
  ['empty regexp matches every line (replaces the last)', 'a\nb\n', { regexp: '', line: 'z' }, 'a\nz\n', 'line replaced'],
  ['create makes a new file', null, { line: 'first', create: true }, 'first\n', 'line added'],
  [
    'the waagent.conf case: commented default becomes the setting',
    '# Enable RDMA\n# OS.EnableRDMA=y\nOS.Other=n\n',
    { regexp: '^#?\\s*OS\\.EnableRDMA=', line: 'OS.EnableRDMA=y' },
    '# Enable RDMA\nOS.EnableRDMA=y\nOS.Other=n\n',
    'line replaced',
  ],
];

const absent: Row[] = [
  ['removes every regexp match', 'a=1\nb\na=2\n', { state: 'absent', regexp: '^a=' }, 'b\n', '2 line(s) removed'],
  ['removes every exact line', 'x\nx\ny', { state: 'absent', line: 'x' }, 'y', '2 line(s) removed'],
  ['removes lines containing search_string', 'foo bar\nbaz\n', { state: 'absent', searchString: 'bar' }, 'baz\n', '1 line(s) removed'],
  ['no match: nothing removed', 'a\n', { state: 'absent', regexp: '^z' }, 'a\n', ''],
];

function run(before: string | null, spec: Partial<LineSpec>) {
  return editLines(before === null ? null : toBytes(before), { state: 'present', path: '/f', ...spec });
}

describe('lineinfile semantics (state=present)', () => {
  it.each(present)('%s', (_name, before, spec, after, msg) => {
    const r = run(before, spec);
    expect(r.failed).toBeUndefined();
    expect(r.content).toBe(toBytes(after));
    expect(r.changed).toBe(msg !== '');
    expect(r.msg).toBe(msg);
  });

  it('is idempotent: applying the result again changes nothing', () => {
    // Not fixed points in Ansible either: the quirk joins two lines, and the search_string row
    // leaves another line containing the string, which the next run replaces too.
    const notFixed = new Set(['insertafter the unterminated last line (Ansible quirk)', 'search_string replaces the last line containing it']);
    for (const [name, before, spec] of present) {
      if (notFixed.has(name)) continue;
      const once = run(before, spec);
      const twice = editLines(once.content, { state: 'present', path: '/f', ...spec });
      expect(twice.changed, JSON.stringify(spec)).toBe(false);
    }
  });
});

describe('lineinfile semantics (state=absent)', () => {
  it.each(absent)('%s', (_name, before, spec, after, msg) => {
    const r = run(before, spec);
    expect(r.content).toBe(toBytes(after));
    expect(r.msg).toBe(msg);
  });

  it('says so when the file is not there', () => {
    expect(run(null, { state: 'absent', line: 'x' })).toMatchObject({ changed: false, msg: 'file not present' });
  });
});

describe('lineinfile errors and bytes', () => {
  it("fails like Ansible when the file is missing and create is off", () => {
    expect(run(null, { line: 'x' }).failed).toBe('Destination /f does not exist !');
  });

  it('needs line for present, regexp for backrefs, something for absent', () => {
    expect(run('', {}).failed).toBe('line is required with state=present');
    expect(run('', { line: 'x', backrefs: true }).failed).toBe('regexp is required with backrefs=true');
    expect(run('', { state: 'absent' }).failed).toBe('one of line, search_string, or regexp is required with state=absent');
  });

  it('reports an invalid regexp with the pattern', () => {
    expect(run('a\n', { regexp: '(unclosed', line: 'x' }).failed).toMatch(/invalid regexp '\(unclosed'/);
  });

  it('matches UTF-8 text and keeps invalid bytes elsewhere in the file untouched', () => {
    const raw = Buffer.concat([Buffer.from('name=é\n'), Buffer.from([0xff, 0xfe, 0x0a])]).toString('latin1');
    const r = editLines(raw, { state: 'present', path: '/f', regexp: '^name=é$', line: 'name=ü' });
    const out = Buffer.from(r.content, 'latin1');
    expect(out.equals(Buffer.concat([Buffer.from('name=ü\n'), Buffer.from([0xff, 0xfe, 0x0a])]))).toBe(true);
  });
});
