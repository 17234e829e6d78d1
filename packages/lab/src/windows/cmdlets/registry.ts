// The HKLM: registry drive over the persisted state: keys, values, Get-ItemProperty objects with
// their PS* properties, and wildcard key matching (Uninstall\* is how installed products are found).

import { errorInfo, CmdletError } from '../ps/errors.js';
import { hasWildcard, wildcardToRegExp } from '../ps/operators.js';
import { PsObject, type PsValue } from '../ps/values.js';
import type { Machine } from './machine.js';

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

  values(key: string): Record<string, string | number> {
    const k = normalizeRegistryPath(key);
    if (!this.keyExists(k)) throw notFound(k);
    return this.keys[k.toLowerCase()]?.values ?? {};
  }

  setValue(key: string, name: string, value: string | number): void {
    const k = normalizeRegistryPath(key);
    if (!this.keyExists(k)) throw notFound(k);
    this.ensureKey(k).values[name] = value;
  }

  ensureKey(key: string): { path: string; values: Record<string, string | number> } {
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
    const props: [string, PsValue][] = [...entries,
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
    return o;
  }
}

export { notFound as registryNotFound };
