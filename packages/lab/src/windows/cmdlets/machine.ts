// What cmdlets act on: the persisted host state, a filesystem view with this process's current
// directory, the process's stdin, and host facts from the config.

import { bootHost } from '../model/boot.js';
import { LabFs } from '../model/filesystem.js';
import type { LabState, StateStore } from '../model/state.js';
import type { CmdletDef, NativeResult } from '../ps/cmdlet.js';
import { PsEnum, PsObject, type PsValue } from '../ps/values.js';

export interface HostFacts {
  address: string;
  domain: string;
  osCaption: string;
  osVersion: string;
  /** Virtual milliseconds a WinOF-2 installer run takes. */
  installMs: number;
}

export class Machine {
  readonly fs: LabFs;
  /** Environment overrides made by this process ($env:X = ...). */
  readonly env: Record<string, string>;
  consoleOutputEncoding = 'utf-8';
  /** Runs a nested powershell.exe (set by the runtime, which owns the interpreter). */
  runPowerShell?: (args: string[], stdin: string) => NativeResult;
  /** Takes the host down and boots it after `delayMs` (set by a WinRM server; without one the boot happens at once). */
  requestReboot?: (delayMs: number) => void;

  constructor(
    readonly store: StateStore,
    readonly facts: HostFacts,
    readonly stdin: string,
    cwd?: string,
    env: Record<string, string> = {},
  ) {
    this.fs = new LabFs(store, cwd);
    this.env = { ...store.state.env, ...env };
  }

  /** Restart-Computer, shutdown /r: the command that asks returns first, as on Windows. */
  reboot(delayMs = 0): void {
    if (this.requestReboot) this.requestReboot(delayMs);
    else bootHost(this.state);
  }

  get state(): LabState {
    return this.store.state;
  }
}

export type Cmdlet = CmdletDef<Machine>;

/** Builds a typed .NET-like object: properties in order, and the text "$obj" prints. */
export function typed(typeName: string, props: [string, PsValue][], toStringText?: string): PsObject {
  const o = new PsObject(typeName, props);
  if (toStringText !== undefined) o.toStringText = toStringText;
  return o;
}

export const VM_STATE: Record<string, number> = { Other: 1, Running: 2, Off: 3, Stopping: 4, Saved: 6, Paused: 9, Starting: 10, Reset: 11, Saving: 32773, Pausing: 32776, Resuming: 32777 };
export const STOP_ACTION: Record<string, number> = { TurnOff: 0, Save: 1, ShutDown: 2 };

export function vmStateEnum(name: string): PsEnum {
  return new PsEnum('Microsoft.HyperV.PowerShell.VMState', name, VM_STATE[name] ?? 1);
}

export function stopActionEnum(name: string): PsEnum {
  return new PsEnum('Microsoft.HyperV.PowerShell.StopAction', name, STOP_ACTION[name] ?? 0);
}
