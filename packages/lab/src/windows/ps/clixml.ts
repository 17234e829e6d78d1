// The `#< CLIXML` block powershell.exe writes to stderr when its streams are redirected (as under
// WinRM): a progress record when modules load, then error records, warnings, verbose and debug
// messages as <S> lines (in the order written) with CR/LF and control characters encoded as _xHHHH_.

import type { StderrEntry } from './interpreter.js';

export function encodeClixmlString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = ch.charCodeAt(0);
    if (ch === '_' && /^x[0-9A-Fa-f]{4}_/.test(s.slice(i + 1, i + 7))) out += '_x005F_';
    else if (c < 0x20 || c === 0x7f) out += `_x${c.toString(16).toUpperCase().padStart(4, '0')}_`;
    else if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else out += ch;
  }
  return out;
}

const PROGRESS = '<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS>'
  + '<I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC>'
  + '<T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>';

export interface StderrContent {
  progress: boolean;
  /** Errors, warnings, verbose and debug messages in the order they were written. */
  entries: StderrEntry[];
}

/** The whole CLIXML stderr text, or '' when there is nothing to report. */
export function renderClixml(c: StderrContent): string {
  if (!c.progress && c.entries.length === 0) return '';
  let body = c.progress ? PROGRESS : '';
  for (const e of c.entries) {
    if (e.stream === 'error') for (const line of e.record.formatLines()) body += `<S S="Error">${encodeClixmlString(line + '\r\n')}</S>`;
    else body += `<S S="${e.stream}">${encodeClixmlString(e.text + '\r\n')}</S>`;
  }
  return `#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">${body}</Objs>`;
}
