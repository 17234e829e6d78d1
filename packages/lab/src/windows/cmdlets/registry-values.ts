// Registry value cmdlets of the HKLM: drive: New-ItemProperty (-PropertyType, -Force) and
// Remove-ItemProperty, and the value conversion Set-ItemProperty -Type shares with them. Values are
// converted as the registry provider converts them (DWord is a 32-bit integer, Binary bytes,
// MultiString lines), and errors read as Windows PowerShell 5.1's.

import type { RegistryValue, RegistryValueKind } from '../model/state.js';
import type { CmdletContext } from '../ps/cmdlet.js';
import { CmdletError, errorInfo } from '../ps/errors.js';
import { enumerate, toNumber, toStr, type PsValue } from '../ps/values.js';
import { PATH_PARAMS, resolvePaths } from './files.js';
import type { Cmdlet, Machine } from './machine.js';
import { isRegistryPath, normalizeRegistryPath, providerPath, Registry, REGISTRY_KINDS, registryNotFound } from './registry.js';

const MGMT = 'Microsoft.PowerShell.Management';
const cmd = (n: string): string => `Microsoft.PowerShell.Commands.${n}Command`;

function badValue(message: string): CmdletError {
  return new CmdletError(errorInfo(message, 'InvalidArgument', 'System.ArgumentException', 'ArgumentException'), false);
}

/** A PowerShell value as the registry stores it for `kind`. */
export function registryValueOf(v: PsValue, kind: RegistryValueKind): RegistryValue {
  switch (kind) {
    case 'String': case 'ExpandString':
      return v === null || v === undefined ? '' : toStr(v);
    case 'DWord': {
      const n = toNumber(v);
      if (!Number.isInteger(n) || n < -2147483648 || n > 4294967295) throw badValue('The type of the value object did not match the specified RegistryValueKind or the object could not be properly converted.');
      return n | 0;
    }
    case 'QWord': {
      const n = toNumber(v);
      if (!Number.isInteger(n)) throw badValue('The type of the value object did not match the specified RegistryValueKind or the object could not be properly converted.');
      return n;
    }
    case 'MultiString':
      return enumerate(v ?? []).map(toStr);
    case 'Binary':
      return (v instanceof Uint8Array ? [...v] : enumerate(v ?? []).map((b) => toNumber(b))).map((b) => {
        if (!Number.isInteger(b) || b < 0 || b > 255) throw badValue('The type of the value object did not match the specified RegistryValueKind or the object could not be properly converted.');
        return b;
      });
  }
}

/** -PropertyType / -Type text → a kind (case-insensitive); undefined for none given. */
export function kindParam(v: PsValue): RegistryValueKind | undefined {
  if (v === undefined || v === null) return undefined;
  const t = toStr(v).toLowerCase();
  return REGISTRY_KINDS.find((k) => k.toLowerCase() === t);
}

function registryPaths(ctx: CmdletContext<Machine>, a: Record<string, PsValue>): string[] {
  return resolvePaths(ctx, a).filter((p) => {
    if (isRegistryPath(p)) return true;
    ctx.writeError(errorInfo(`The lab host models item properties only for the HKLM: registry drive (path '${p}').`, 'NotImplemented', 'NotSupported', 'PSNotSupportedException', p));
    return false;
  });
}

const KIND_SET = [...REGISTRY_KINDS, 'Unknown', 'None'];

export const registryValueCmdlets: Cmdlet[] = [
  {
    name: 'New-ItemProperty', module: MGMT, commandType: cmd('NewItemProperty'), input: 'each', supportsShouldProcess: true,
    params: [...PATH_PARAMS, { name: 'Name', aliases: ['PSProperty'], type: 'string', position: 1, mandatory: true },
      { name: 'PropertyType', aliases: ['Type'], type: 'string', validateSet: KIND_SET }, { name: 'Value', type: 'any', pipeline: { byPropertyName: true } }, { name: 'Force', type: 'switch' }],
    run(ctx, a) {
      const reg = new Registry(ctx.machine);
      const name = toStr(a['Name']);
      const kind = kindParam(a['PropertyType']) ?? 'String';
      for (const p of registryPaths(ctx, a)) {
        try {
          const key = normalizeRegistryPath(p);
          if (!reg.keyExists(key)) throw registryNotFound(key);
          if (reg.valueName(key, name) !== undefined && !a['Force']) {
            throw new CmdletError(errorInfo('The property already exists.', 'ResourceExists', 'System.IO.IOException', 'IOException', providerPath(key)));
          }
          const value = registryValueOf(a['Value'] ?? null, kind);
          if (!ctx.shouldProcess(`Item: ${providerPath(key).replace(/^.*::/, '')} Property: ${name}`, 'New Property')) continue;
          const existing = reg.valueName(key, name);
          if (existing !== undefined) reg.removeValue(key, existing);
          reg.setValue(key, name, value, kind);
          ctx.write(reg.propertyObject(key, [name]));
        } catch (e) {
          if (e instanceof CmdletError) ctx.writeError(e.info);
          else throw e;
        }
      }
    },
  },
  {
    name: 'Remove-ItemProperty', module: MGMT, commandType: cmd('RemoveItemProperty'), input: 'each', supportsShouldProcess: true,
    params: [...PATH_PARAMS, { name: 'Name', aliases: ['PSProperty'], type: 'string[]', position: 1, mandatory: true }, { name: 'Force', type: 'switch' }],
    run(ctx, a) {
      const reg = new Registry(ctx.machine);
      for (const p of registryPaths(ctx, a)) {
        const key = normalizeRegistryPath(p);
        for (const n of enumerate(a['Name']).map(toStr)) {
          const stored = reg.keyExists(key) ? reg.valueName(key, n) : undefined;
          if (stored === undefined) {
            ctx.writeError(errorInfo(`Property ${n} does not exist at path ${providerPath(key).replace(/^.*::/, '')}.`, 'InvalidArgument', 'System.Management.Automation.PSArgumentException,Microsoft.PowerShell.Commands.RemoveItemPropertyCommand', 'PSArgumentException', n));
            continue;
          }
          if (ctx.shouldProcess(`Item: ${providerPath(key).replace(/^.*::/, '')} Property: ${n}`, 'Remove Property')) reg.removeValue(key, stored);
        }
      }
    },
  },
];
