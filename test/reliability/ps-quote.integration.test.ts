// psQuote (what every value sent to a Windows host goes through) checked against the lab's PowerShell
// parser and interpreter: the quoted literal parses as ONE constant, evaluates to the same string,
// and evaluating it calls no command, no .NET member, no environment variable.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { psQuote } from '../../src/engine/connection/quote.js';
import { type CommandTable, Interpreter, parseScript, runScriptText } from '@fleetplay/lab/powershell';
import { runs } from '../support/budget.js';
import { injectionPayloads } from '../support/payloads.js';

const POWERSHELL_PAYLOADS = [
  ...injectionPayloads('C:\\canary.txt'),
  "'; New-Item -Path C:\\canary.txt; '",
  '‘; New-Item C:\\canary.txt; ’',
  '‚; New-Item C:\\canary.txt; ‛',
  "''; New-Item C:\\canary.txt; ''",
  '`; New-Item C:\\canary.txt',
  "@'\nNew-Item C:\\canary.txt\n'@",
  '@"\n$(New-Item C:\\canary.txt)\n"@',
  '${env:PATH}$env:USERNAME',
  '#> New-Item C:\\canary.txt <#',
  '" + (New-Item C:\\canary.txt) + "',
  '“; New-Item C:\\canary.txt; ”',
  "'",
  "''",
  '',
  '\u0000',
];

/** A host on which anything but evaluating constants is recorded (and fails). */
function recordingInterpreter(): { ip: Interpreter<null>; calls: string[] } {
  const calls: string[] = [];
  const table: CommandTable<null> = {
    cmdlet: (_m, name) => (calls.push(`cmdlet ${name}`), undefined),
    alias: () => undefined,
    native: (_m, name) => (calls.push(`native ${name}`), undefined),
    staticMember: (_m, type, member) => (calls.push(`[${type}]::${member}`), null),
    setStaticMember: (_m, type, member) => void calls.push(`[${type}]::${member} =`),
    redirectToFile: (_m, path) => void calls.push(`> ${path}`),
    envVariable: (_m, name) => (calls.push(`$env:${name}`), undefined),
    listCmdlets: () => [],
  };
  return { ip: new Interpreter(table, null, { formatOutput: () => '' }), calls };
}

function checkQuoted(s: string): void {
  const literal = psQuote(s);
  const ast = parseScript(literal);
  expect(ast.body, literal).toHaveLength(1);
  const stmt = ast.body[0]!;
  expect(stmt.kind === 'pipeline' && stmt.elements.length === 1 && stmt.elements[0]!.kind === 'exprElement', literal).toBe(true);
  if (stmt.kind !== 'pipeline' || stmt.elements[0]!.kind !== 'exprElement') return;
  expect(stmt.elements[0]!.expr).toMatchObject({ kind: 'const', value: s });

  const { ip, calls } = recordingInterpreter();
  // Inside a larger script, as modules embed values: before, the value, an assignment, after.
  const out = runScriptText(ip, `'before'; ${literal}; $v = ${literal}; $v; 'after'`, ip.global);
  expect(out).toEqual(['before', s, s, 'after']);
  expect(calls).toEqual([]);
}

describe('psQuote against the lab PowerShell parser', () => {
  it(`${POWERSHELL_PAYLOADS.length} PowerShell and shell payloads stay one constant with the same value`, () => {
    for (const p of POWERSHELL_PAYLOADS) checkQuoted(p);
  });

  it(`${runs(300)} random strings (any code point) round-trip through psQuote`, () => {
    const quotes = fc.constantFrom("'", '‘', '’', '‚', '‛', '"', '“', '”', '„', '`', '$', '(', ')', '@', '#', '<#', '#>', '\n', '\r', ';', '&', '|', '{', '}');
    const piece = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), quotes);
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (parts) => checkQuoted(parts.join(''))),
      { numRuns: runs(300) },
    );
  });
});
