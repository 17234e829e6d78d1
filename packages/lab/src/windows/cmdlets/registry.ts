// The HKLM: registry drive over the persisted state: keys, values, Get-ItemProperty objects with
// their PS* properties, and wildcard key matching (Uninstall\* is how installed products are found).

import { errorInfo, CmdletError } from '../ps/errors.js';
import { hasWildcard, wildcardToRegExp } from '../ps/operators.js';
import type { RegistryKeyState, RegistryValue, RegistryValueKind } from '../model/state.js';
import { PsEnum, PsObject, toStr, type PsValue } from '../ps/values.js';
import type { Machine } from './machine.js';

/** Microsoft.Win32.RegistryValueKind's numbers. */
const KIND_NUMBERS: Record<RegistryValueKind, number> = { String: 1, ExpandString: 2, Binary: 3, DWord: 4, MultiString: 7, QWord: 11 };
export const REGISTRY_KINDS = Object.keys(KIND_NUMBERS) as RegistryValueKind[];

export function inferredKind(v: RegistryValue): RegistryValueKind {
  return typeof v === 'number' ? 'DWord' : Array.isArray(v) ? 'MultiString' : 'String';
}

/** What PowerShell sees for a stored value: Binary comes back as byte[]. */
export function psRegistryValue(v: RegistryValue, kind: RegistryValueKind): PsValue {
  return kind === 'Binary' ? Uint8Array.from(v as number[]) : Array.isArray(v) ? [...v] : v;
}

export function isRegistryPath(p: string): boolean {
  return /^(hklm:|registry::|hkey_local_machine\\|microsoft\.powershell\.core\\registry::)/i.test(p.trim());
}

/** HKLM:\A\B from any spelling of a local-machine registry path. */
export function normalizeRegistryPath(p: string): string {
  let rest = p.trim().replace(/\//g, '\\').replace(/^microsoft\.powershell\.core\\registry::/i, '').replace(/^registry::/i, '');
  rest = rest.replace(/^hklm:\\?/i, '').replace(/^hkey_local_machine\\?/i, '');
  const parts = rest.split('\\').filter((s) => s !== '' && s !== '.');
  return parts.length ? `HKLM:\\${parts.join('\\')}` : 'HKLM:\\';
}

export const providerPath = (key: string): string => `Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE${key.slice(5) ? '\\' + key.slice(6) : ''}`;

function notFound(path: string): CmdletError {
  return new CmdletError(errorInfo(`Cannot find path '${path}' because it does not exist.`, 'ObjectNotFound', 'PathNotFound', 'ItemNotFoundException', path));
}

export class Registry {
  constructor(private readonly m: Machine) {}

  private get keys(): Machine['state']['registry'] {
    return this.m.state.registry;
  }

  keyExists(key: string): boolean {
    const k = normalizeRegistryPath(key).toLowerCase();
    if (k === 'hklm:\\' || this.keys[k]) return true;
    return Object.keys(this.keys).some((x) => x.startsWith(k + '\\'));
  }

  /** Keys matching a path whose last segment may hold wildcards. */
  match(path: string): string[] {
    const norm = normalizeRegistryPath(path);
    if (!hasWildcard(norm)) return this.keyExists(norm) ? [this.display(norm)] : [];
    const parent = norm.slice(0, norm.lastIndexOf('\\'));
    const re = wildcardToRegExp(norm.slice(norm.lastIndexOf('\\') + 1));
    return this.subkeys(parent).filter((k) => re.test(k.slice(k.lastIndexOf('\\') + 1)));
  }

  private display(key: string): string {
    return this.keys[key.toLowerCase()]?.path ?? key;
  }

  subkeys(key: string): string[] {
    const prefix = normalizeRegistryPath(key).toLowerCase().replace(/\\$/, '') + '\\';
    const names = new Map<string, string>();
    for (const [k, v] of Object.entries(this.keys)) {
      if (!k.startsWith(prefix)) continue;
      const child = v.path.slice(0, prefix.length + k.slice(prefix.length).split('\\')[0]!.length);
      names.set(child.toLowerCase(), child);
    }
    return [...names.values()].sort();
  }

  values(key: string): Record<string, RegistryValue> {
    const k = normalizeRegistryPath(key);
    if (!this.keyExists(k)) throw notFound(k);
    return this.keys[k.toLowerCase()]?.values ?? {};
  }

  /** Sets a value; without a kind an existing value keeps its kind (as Set-ItemProperty does). */
  setValue(key: string, name: string, value: RegistryValue, kind?: RegistryValueKind): void {
    const k = normalizeRegistryPath(key);
    if (!this.keyExists(k)) throw notFound(k);
    const entry = this.ensureKey(k);
    const existing = Object.keys(entry.values).find((n) => n.toLowerCase() === name.toLowerCase());
    const finalName = existing ?? name;
    const want = kind ?? (existing !== undefined ? this.kindOf(k, existing) : inferredKind(value));
    entry.values[finalName] = value;
    if (want === inferredKind(value)) {
      if (entry.kinds) delete entry.kinds[finalName];
    } else (entry.kinds ??= {})[finalName] = want;
  }

  /** The stored name of a value (names are case-insensitive), or undefined. */
  valueName(key: string, name: string): string | undefined {
    const entry = this.keys[normalizeRegistryPath(key).toLowerCase()];
    return entry ? Object.keys(entry.values).find((n) => n.toLowerCase() === name.toLowerCase()) : undefined;
  }

  kindOf(key: string, name: string): RegistryValueKind {
    const entry = this.keys[normalizeRegistryPath(key).toLowerCase()]!;
    return entry.kinds?.[name] ?? inferredKind(entry.values[name]!);
  }

  removeValue(key: string, name: string): void {
    const entry = this.keys[normalizeRegistryPath(key).toLowerCase()]!;
    delete entry.values[name];
    if (entry.kinds) delete entry.kinds[name];
  }

  ensureKey(key: string): RegistryKeyState {
    const k = normalizeRegistryPath(key);
    const entry = (this.keys[k.toLowerCase()] ??= { path: k, values: {} });
    return entry;
  }

  removeKey(key: string): void {
    const k = normalizeRegistryPath(key).toLowerCase();
    if (!this.keyExists(k)) throw notFound(normalizeRegistryPath(key));
    for (const x of Object.keys(this.keys)) if (x === k || x.startsWith(k + '\\')) delete this.keys[x];
  }

  /** The object Get-ItemProperty writes for a key. */
  propertyObject(key: string, names?: string[]): PsObject | null {
    const values = this.values(key);
    const entries = Object.entries(values).filter(([n]) => !names || names.some((w) => wildcardToRegExp(w).test(n)));
    if (names) {
      for (const w of names) {
        if (!hasWildcard(w) && !entries.some(([n]) => n.toLowerCase() === w.toLowerCase())) {
          throw new CmdletError(errorInfo(`Property ${w} does not exist at path ${providerPath(normalizeRegistryPath(key)).replace(/^.*::/, '')}.`, 'InvalidArgument', 'System.Management.Automation.PSArgumentException', 'PSArgumentException', w));
        }
      }
    }
    if (entries.length === 0) return null;
    const k = this.display(normalizeRegistryPath(key));
    const parent = k.slice(0, k.lastIndexOf('\\'));
    const props: [string, PsValue][] = [...entries.map(([n, v]): [string, PsValue] => [n, psRegistryValue(v, this.kindOf(key, n))]),
      ['PSPath', providerPath(k)], ['PSParentPath', providerPath(parent)], ['PSChildName', k.slice(k.lastIndexOf('\\') + 1)],
      ['PSDrive', 'HKLM'], ['PSProvider', 'Microsoft.PowerShell.Core\\Registry']];
    return new PsObject(undefined, props);
  }

  /** The object Get-Item / Get-ChildItem write for a key. */
  keyObject(key: string): PsObject {
    const k = this.display(normalizeRegistryPath(key));
    const o = new PsObject('Microsoft.Win32.RegistryKey', [
      ['Name', `HKEY_LOCAL_MACHINE${k.slice(5) ? '\\' + k.slice(6) : ''}`], ['PSChildName', k.slice(k.lastIndexOf('\\') + 1)],
      ['Property', Object.keys(this.keys[k.toLowerCase()]?.values ?? {})], ['SubKeyCount', this.subkeys(k).length],
      ['ValueCount', Object.keys(this.keys[k.toLowerCase()]?.values ?? {}).length], ['PSPath', providerPath(k)], ['PSIsContainer', true],
    ]);
    o.toStringText = `HKEY_LOCAL_MACHINE${k.slice(5) ? '\\' + k.slice(6) : ''}`;
    // RegistryKey's own methods; a missing value is .NET's IOException, as on Windows.
    const named = (args: PsValue[]): string => {
      const n = this.valueName(k, toStr(args[0]));
      if (n === undefined) {
        throw new CmdletError(errorInfo(`Exception calling "GetValueKind" with "${args.length}" argument(s): "The specified registry key does not exist."`, 'NotSpecified', 'IOException', 'MethodInvocationException'), true);
      }
      return n;
    };
    o.methods = {
      getvaluekind: (args) => {
        const kind = this.kindOf(k, named(args));
        return new PsEnum('Microsoft.Win32.RegistryValueKind', kind, KIND_NUMBERS[kind]);
      },
      getvalue: (args) => {
        const n = this.valueName(k, toStr(args[0]));
        if (n === undefined) return args[1] ?? null;
        const kind = this.kindOf(k, n);
        const v = psRegistryValue(this.values(k)[n]!, kind);
        // RegistryKey.GetValue expands %VARS% of an ExpandString unless told DoNotExpandEnvironmentNames.
        if (kind !== 'ExpandString' || toStr(args[2] ?? '').toLowerCase() === 'donotexpandenvironmentnames') return v;
        return toStr(v).replace(/%([^%]+)%/g, (all, name: string) => {
          const key = Object.keys(this.m.env).find((e) => e.toLowerCase() === name.toLowerCase());
          return key === undefined ? all : this.m.env[key]!;
        });
      },
      getvaluenames: () => Object.keys(this.keys[k.toLowerCase()]?.values ?? {}),
      getsubkeynames: () => this.subkeys(k).map((x) => x.slice(x.lastIndexOf('\\') + 1)),
    };
    return o;
  }
}

export { notFound as registryNotFound };
