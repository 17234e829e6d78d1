// Variable and function scopes (a child scope sees its parents'; assignments go to the innermost),
// and the $PSVersionTable a session starts with.

import { PsHashtable, PsObject, type PsValue } from './values.js';
import type { ScriptBlockAst } from './ast.js';

export class Scope {
  readonly vars = new Map<string, PsValue>();
  readonly functions = new Map<string, ScriptBlockAst>();
  constructor(readonly parent?: Scope) {}

  lookup(name: string): { found: boolean; value: PsValue } {
    const key = name.toLowerCase();
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.vars.has(key)) return { found: true, value: s.vars.get(key) };
    return { found: false, value: null };
  }

  set(name: string, value: PsValue): void {
    this.vars.set(name.toLowerCase(), value);
  }

  findFunction(name: string): ScriptBlockAst | undefined {
    const key = name.toLowerCase();
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const f = s.functions.get(key);
      if (f) return f;
    }
    return undefined;
  }

  root(): Scope {
    let s: Scope = this;
    while (s.parent) s = s.parent;
    return s;
  }
}

/** $PSVersionTable of Windows PowerShell 5.1 on Windows Server 2025. */
export function psVersionTable(): PsHashtable {
  const t = new PsHashtable();
  const version = new PsObject('System.Version', [['Major', 5], ['Minor', 1], ['Build', 26100], ['Revision', 2161]]);
  version.toStringText = '5.1.26100.2161';
  t.set('PSVersion', version);
  t.set('PSEdition', 'Desktop');
  t.set('BuildVersion', '10.0.26100.2161');
  t.set('CLRVersion', '4.0.30319.42000');
  t.set('WSManStackVersion', '3.0');
  t.set('PSRemotingProtocolVersion', '2.3');
  t.set('SerializationVersion', '1.1.0.1');
  return t;
}
