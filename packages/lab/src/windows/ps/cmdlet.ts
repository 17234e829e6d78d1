// What a cmdlet is to the interpreter: a declared parameter list (bound by binder.ts with PowerShell's
// rules and messages) and a run function that writes objects and errors through its context.

import type { ErrorInfo } from './errors.js';
import type { PsScriptBlock, PsValue } from './values.js';

export type ParamType =
  | 'string' | 'string[]' | 'int' | 'long' | 'uint16' | 'uint64' | 'double' | 'bool' | 'switch'
  | 'scriptblock' | 'hashtable' | 'any' | 'any[]' | 'object[]';

export interface ParamSpec {
  name: string;
  aliases?: string[];
  type: ParamType;
  /** .NET type name shown in binding errors (defaults from `type`). */
  dotnetType?: string;
  position?: number;
  mandatory?: boolean;
  /** Takes pipeline input by value and/or by property name. */
  pipeline?: { byValue?: boolean; byPropertyName?: boolean };
  /** For by-value pipeline binding of objects: accepted PsObject type names (suffix match). */
  acceptsTypes?: string[];
  validateSet?: string[];
}

export interface CmdletContext<M> {
  readonly machine: M;
  /** Writes one object to the output pipe; arrays are unrolled unless `asOne`. */
  write(value: PsValue, asOne?: boolean): void;
  /**
   * A non-terminating error (honours -ErrorAction / $ErrorActionPreference). 'write-error' renders it
   * as Write-Error does: prefixed by the command text, without the position lines.
   */
  writeError(info: ErrorInfo, style?: 'write-error'): void;
  /**
   * Write-Host: an information record (tag PSHOST) that the host shows (with CRLF unless `newline` is
   * false) and that `6>&1` captures; `-InformationAction Ignore` drops it.
   */
  writeHost(text: string, newline?: boolean, colors?: { foreground?: string; background?: string }): void;
  /** Honours -WarningAction / $WarningPreference (Stop makes it a terminating error). */
  writeWarning(text: string): void;
  /** Honour -Verbose / $VerbosePreference and -Debug / $DebugPreference. */
  writeVerbose(text: string): void;
  writeDebug(text: string): void;
  /** Write-Information: shown by the host only with -InformationAction / $InformationPreference Continue. */
  writeInformation(messageData: PsValue, tags: string[]): void;
  /** Text straight to the console (Out-Host), which no redirection captures. */
  writeConsole(text: string): void;
  /** Out-Default: formats objects to the console; merged stream records go back to their streams. */
  outDefault(values: PsValue[]): void;
  /** Runs a script block with `$_` set and returns its output (Where-Object's filter, calculated properties). */
  invokeBlock(block: PsScriptBlock, dollarUnder: PsValue, args?: PsValue[]): PsValue[];
  /** Runs a script block with `$_` set, its output streaming into this command's output (ForEach-Object). */
  writeBlock(block: PsScriptBlock, dollarUnder: PsValue, args?: PsValue[]): void;
  /** Was the parameter given explicitly (including as a switch set to $false)? */
  bound(name: string): boolean;
  /** -WhatIf given: ShouldProcess must return false after printing the "What if:" line. */
  shouldProcess(target: string, action: string): boolean;
  /** Records a virtual delay (Start-Sleep, a long installer): the command's completion is deferred. */
  sleep(ms: number): void;
  /** The interpreter's variable lookup in the calling scope. */
  getVariable(name: string): PsValue;
  setVariable(name: string, value: PsValue): void;
  /** Parses and runs script text in the calling scope (Invoke-Expression). */
  runScript(text: string): PsValue[];
  findCommand(name: string): CommandInfo | undefined;
  listCommands(): CommandInfo[];
}

export interface CommandInfo {
  name: string;
  commandType: 'Cmdlet' | 'Function' | 'Alias' | 'Application';
  module: string;
  /** For aliases: what they resolve to. */
  definition?: string;
}

export interface CmdletDef<M> {
  name: string;
  /** Module that Get-Command reports as Source. */
  module: string;
  /** .NET implementing type, appended to FullyQualifiedErrorId. */
  commandType: string;
  params: ParamSpec[];
  /**
   * 'each': `run` once per pipeline object as it arrives (or once when the command is first in its
   * pipeline); 'all': one `run` with every input object at the end; 'none': takes no pipeline input.
   */
  input: 'each' | 'all' | 'none';
  supportsShouldProcess?: boolean;
  /** Hidden cmdlets are "not recognized" (e.g. cluster cmdlets on a standalone host). */
  available?(machine: M): boolean;
  run(ctx: CmdletContext<M>, args: Record<string, PsValue>, input: PsValue[]): void;
  /** For 'each' cmdlets: BeginProcessing / EndProcessing around the per-object runs. */
  begin?(ctx: CmdletContext<M>, args: Record<string, PsValue>): void;
  end?(ctx: CmdletContext<M>, args: Record<string, PsValue>): void;
}

export interface NativeResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Virtual run time (an installer takes a while). */
  delayMs?: number;
}

/** An external program the host can run (hostname.exe, ipconfig.exe, an installer on disk). */
export type NativeCommand<M> = (machine: M, args: string[], stdin: string) => NativeResult;

export interface CommandTable<M> {
  /** A cmdlet available on this machine (hidden ones resolve to undefined). */
  cmdlet(machine: M, name: string): CmdletDef<M> | undefined;
  alias(name: string): string | undefined;
  native(machine: M, name: string): NativeCommand<M> | undefined;
  /** Static .NET members ([Convert]::ToBase64String(...)); `args` null means a property read. */
  staticMember(machine: M, type: string, member: string, args: PsValue[] | null): PsValue;
  /** Assignment to a static property ([Console]::OutputEncoding = ...). */
  setStaticMember(machine: M, type: string, member: string, value: PsValue): void;
  /** `> path` / `>> path` redirection of formatted output. */
  redirectToFile(machine: M, path: string, text: string, append: boolean): void;
  /** Variables the host provides ($env:*, $PSVersionTable, $PWD...). */
  envVariable(machine: M, name: string): string | undefined;
  listCmdlets(machine: M): CmdletDef<M>[];
}
