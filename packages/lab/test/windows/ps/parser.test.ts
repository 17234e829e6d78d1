import { describe, expect, it } from 'vitest';
import type { CommandAst, Expr, PipelineStmt, Statement } from '../../../src/windows/ps/ast.js';
import { parseScript } from '../../../src/windows/ps/parser.js';
import { ParseError } from '../../../src/windows/ps/tokenizer.js';

const body = (src: string): Statement[] => parseScript(src).body;
const firstCommand = (src: string): CommandAst => (body(src)[0] as PipelineStmt).elements[0] as CommandAst;
const firstExpr = (src: string): Expr => {
  const el = (body(src)[0] as PipelineStmt).elements[0]!;
  if (el.kind !== 'exprElement') throw new Error('not an expression');
  return el.expr;
};

function parseError(src: string): ParseError {
  try {
    parseScript(src);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error(`expected a parse error for ${JSON.stringify(src)}`);
}

describe('statements and pipelines', () => {
  it('separates statements by newlines and semicolons, and pipes commands', () => {
    const stmts = body('Get-VM | Select-Object Name\n$x = 1; $y = 2');
    expect(stmts.map((s) => s.kind)).toEqual(['pipeline', 'assign', 'assign']);
    const p = stmts[0] as PipelineStmt;
    expect(p.elements.map((e) => (e.kind === 'command' ? e.name : e.kind))).toEqual(['Get-VM', 'Select-Object']);
  });

  it('continues a pipeline after | at the end of a line and after a backtick', () => {
    const p = body('Get-VM |\n  Where-Object { $_.State -eq "Running" } `\n  | Select-Object -First 1')[0] as PipelineStmt;
    expect(p.elements).toHaveLength(3);
  });

  it('reads named, colon-bound, switch, positional and splatted arguments', () => {
    const c = firstCommand("Set-VM -Name vm1 -GuestControlledCacheTypes:$true -Force 1GB @extra 'x'");
    expect(c.args.map((a) => a.kind)).toEqual(['param', 'value', 'param', 'param', 'value', 'splat', 'value']);
    expect(c.args[2]).toMatchObject({ kind: 'param', name: 'GuestControlledCacheTypes', value: { kind: 'var', name: 'true' } });
    expect(c.args[4]).toMatchObject({ value: { kind: 'const', value: 2 ** 30 } });
    expect(c.args[5]).toMatchObject({ kind: 'splat', variable: 'extra' });
  });

  it('builds arrays from comma lists in command mode and keeps paths as one word', () => {
    const c = firstCommand('Select-Object -Property Name,State C:\\Program Files\\x.txt');
    expect(c.args[1]).toMatchObject({ value: { kind: 'array', items: [{ value: 'Name' }, { value: 'State' }] } });
    expect(c.args[2]).toMatchObject({ value: { kind: 'const', value: 'C:\\Program' } });
  });

  it('strips quotes inside a bareword argument like PowerShell does', () => {
    const c = firstCommand('& $exe /S /v"/qn MT_SKIPFWUPGRD=1"');
    expect(c.invocation).toBe('&');
    expect(c.args[1]).toMatchObject({ value: { kind: 'const', value: '/v/qn MT_SKIPFWUPGRD=1' } });
  });

  it('parses redirections', () => {
    const c = firstCommand('Get-Item x 2>&1 >$null');
    expect(c.redirects.map((r) => [r.stream, r.target === 'merge' ? 'merge' : 'expr'])).toEqual([['2', 'merge'], ['1', 'expr']]);
  });
});

describe('expressions', () => {
  it('follows PowerShell precedence: comma binds tighter than +, -and is lowest', () => {
    expect(firstExpr('1,2 + 3')).toMatchObject({ kind: 'binary', op: '+', left: { kind: 'array' } });
    expect(firstExpr('$a -eq 1 -and $b -ne 2')).toMatchObject({ kind: 'binary', op: 'and', left: { op: 'eq' }, right: { op: 'ne' } });
    expect(firstExpr('-not $a -eq $b')).toMatchObject({ kind: 'binary', op: 'eq', left: { kind: 'unary', op: 'not' } });
    expect(firstExpr('2 + 3 * 4')).toMatchObject({ op: '+', right: { op: '*' } });
  });

  it('reads case-sensitive and case-insensitive operator variants', () => {
    expect(firstExpr("'a' -ceq 'A'")).toMatchObject({ op: 'ceq' });
    expect(firstExpr("'a' -ilike 'A*'")).toMatchObject({ op: 'ilike' });
  });

  it('reads strings: single-quoted literal with doubled quote, double-quoted with expansion and escapes', () => {
    expect(firstExpr("'it''s $x'")).toMatchObject({ kind: 'const', value: "it's $x" });
    const e = firstExpr('"a`t$x and $($y + 1) `"q`""');
    expect(e.kind).toBe('expandable');
    if (e.kind !== 'expandable') return;
    expect(e.parts[0]).toBe('a\t');
    expect(e.parts[1]).toMatchObject({ kind: 'var', name: 'x' });
    expect(e.parts[3]).toMatchObject({ kind: 'subExpr' });
    expect(e.parts[4]).toBe(' "q"');
  });

  it('reads here-strings of both kinds', () => {
    expect(firstExpr("@'\nline $x\n'@")).toMatchObject({ kind: 'const', value: 'line $x' });
    expect(firstExpr('@"\nhi $name\nthere\n"@')).toMatchObject({ kind: 'expandable', parts: ['hi ', { name: 'name' }, '\nthere'] });
  });

  it('reads numbers with multipliers, hex, and decimals', () => {
    expect(firstExpr('32GB')).toMatchObject({ value: 32 * 2 ** 30 });
    expect(firstExpr('0x10')).toMatchObject({ value: 16 });
    expect(firstExpr('1.5')).toMatchObject({ value: 1.5 });
    expect(firstExpr('1..3')).toMatchObject({ op: '..' });
  });

  it('reads hashtables, casts, static members, method calls and indexes', () => {
    expect(firstExpr('[pscustomobject]@{ A = 1; B = Get-Date }')).toMatchObject({ kind: 'cast', type: 'pscustomobject', expr: { kind: 'hashtable' } });
    expect(firstExpr('[System.Convert]::ToBase64String($b)')).toMatchObject({ kind: 'invoke', isStatic: true, name: 'ToBase64String' });
    expect(firstExpr('$s.Trim().ToUpper()')).toMatchObject({ kind: 'invoke', name: 'ToUpper', target: { kind: 'invoke', name: 'Trim' } });
    expect(firstExpr('$a[0].Name')).toMatchObject({ kind: 'member', name: 'Name', target: { kind: 'index' } });
    expect(firstExpr('$env:COMPUTERNAME')).toMatchObject({ kind: 'var', name: 'COMPUTERNAME', scope: 'env' });
  });
});

describe('keywords', () => {
  it('parses if/elseif/else, foreach, for, while, try/catch/finally, function and param', () => {
    const src = [
      'param([Parameter(Mandatory)][string]$Name, [int]$Count = 2, [switch]$Force)',
      'if ($Count -gt 1) { "many" } elseif ($Count -eq 1) { "one" } else { "none" }',
      'foreach ($v in Get-VM) { $v.Name }',
      'for ($i = 0; $i -lt 3; $i++) { $i }',
      'while ($false) { break }',
      'try { throw "x" } catch [System.Exception] { $_ } finally { "done" }',
      'function Get-Thing($a) { return $a }',
    ].join('\n');
    const sb = parseScript(src);
    expect(sb.params.map((p) => [p.name, p.type, p.mandatory])).toEqual([['Name', 'string', true], ['Count', 'int', false], ['Force', 'switch', false]]);
    expect(sb.body.map((s) => s.kind)).toEqual(['if', 'foreach', 'if', 'while', 'try', 'function']);
  });
});

describe('parse errors carry PowerShell wording and the position', () => {
  it('missing closing brace points at the opening one', () => {
    const e = parseError('if ($x) {\n  "a"\n');
    expect(e.errorId).toBe('MissingEndCurlyBrace');
    expect(e.pos).toMatchObject({ line: 1, col: 9 });
  });

  it('unterminated string', () => {
    const e = parseError("$a = 1\n$b = 'abc");
    expect(e.message).toBe("The string is missing the terminator: '.");
    expect(e.pos).toMatchObject({ line: 2, col: 6 });
  });

  it('missing condition, unexpected token, expressions after the first pipeline element', () => {
    expect(parseError('if (').message).toBe("Missing condition in if statement after 'if ('.");
    expect(parseError('$x = 1 2').message).toBe("Unexpected token '2' in expression or statement.");
    expect(parseError('Get-VM | $x').errorId).toBe('ExpressionsMustBeFirstInPipeline');
  });

  it('rejects unsupported keywords by name so scripts cannot drift silently', () => {
    const e = parseError('$x = 1\nswitch ($x) { 1 { "one" } }');
    expect(e.errorId).toBe('UnsupportedSyntax');
    expect(e.message).toContain("'switch'");
    expect(e.pos).toMatchObject({ line: 2, col: 1 });
  });
});
