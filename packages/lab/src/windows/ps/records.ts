// The objects PowerShell's non-output streams carry when they are redirected into the output pipe
// (`3>&1`, `4>&1`, `5>&1`, `6>&1`): WarningRecord, VerboseRecord, DebugRecord and InformationRecord
// (Write-Host's text arrives as an InformationRecord whose MessageData is a HostInformationMessage).
// Also the .NET exception types behind error records, with their base types, so `-is`, GetType() and
// `catch [T]` see the same names and hierarchy as on Windows.

import { PsObject, toStr, type PsValue } from './values.js';

export type InformationalKind = 'warning' | 'verbose' | 'debug';

const SMA = 'System.Management.Automation';

const INFORMATIONAL_TYPE: Record<InformationalKind, string> = {
  warning: `${SMA}.WarningRecord`,
  verbose: `${SMA}.VerboseRecord`,
  debug: `${SMA}.DebugRecord`,
};

/** WarningRecord / VerboseRecord / DebugRecord: a message; "$record" is the message. */
export class InformationalRecord extends PsObject {
  constructor(
    readonly kind: InformationalKind,
    readonly message: string,
  ) {
    super(INFORMATIONAL_TYPE[kind], [['Message', message], ['InvocationInfo', null], ['PipelineIterationInfo', []]]);
    this.baseTypeNames = [`${SMA}.InformationalRecord`, 'System.Object'];
    this.toStringText = message;
  }
}

export interface HostMessage {
  text: string;
  noNewLine: boolean;
  foregroundColor?: string;
  backgroundColor?: string;
}

/** An InformationRecord from Write-Information (any MessageData) or Write-Host (a HostInformationMessage). */
export class InformationRecord extends PsObject {
  constructor(
    readonly messageData: PsValue,
    tags: string[],
    /** Set for Write-Host: the host shows it whatever $InformationPreference says. */
    readonly hostMessage?: HostMessage,
  ) {
    super(`${SMA}.InformationRecord`, [
      ['MessageData', messageData],
      ['Source', hostMessage ? 'Write-Host' : 'Write-Information'],
      ['TimeGenerated', new Date()],
      ['Tags', tags],
      ['User', 'Administrator'],
      ['Computer', 'localhost'],
      ['ProcessId', 4242],
      ['NativeThreadId', 1],
      ['ManagedThreadId', 1],
    ]);
    this.baseTypeNames = ['System.Object'];
    this.toStringText = toStr(messageData);
  }

  /** The text the console shows for this record (without the line end). */
  get text(): string {
    return this.hostMessage ? this.hostMessage.text : toStr(this.messageData);
  }
}

export function hostInformationMessage(m: HostMessage): PsObject {
  const o = new PsObject(`${SMA}.HostInformationMessage`, [
    ['Message', m.text],
    ['NoNewLine', m.noNewLine],
    ['ForegroundColor', m.foregroundColor ?? null],
    ['BackgroundColor', m.backgroundColor ?? null],
  ]);
  o.toStringText = m.text;
  return o;
}

/** Short exception name → [namespace, base short name]. Unlisted names read as System.<name> : SystemException. */
const EXCEPTIONS: Record<string, [string, string]> = {
  Exception: ['System', ''],
  SystemException: ['System', 'Exception'],
  RuntimeException: [SMA, 'SystemException'],
  ParameterBindingException: [SMA, 'RuntimeException'],
  CommandNotFoundException: [SMA, 'RuntimeException'],
  MethodException: [SMA, 'RuntimeException'],
  MethodInvocationException: [SMA, 'MethodException'],
  SessionStateException: [SMA, 'RuntimeException'],
  ItemNotFoundException: [SMA, 'SessionStateException'],
  DriveNotFoundException: [SMA, 'SessionStateException'],
  ParseException: [SMA, 'RuntimeException'],
  ActionPreferenceStopException: [SMA, 'RuntimeException'],
  ParentContainsErrorRecordException: [SMA, 'SystemException'],
  PSArgumentException: [SMA, 'ArgumentException'],
  PSNotSupportedException: [SMA, 'NotSupportedException'],
  ArgumentException: ['System', 'SystemException'],
  ArgumentOutOfRangeException: ['System', 'ArgumentException'],
  InvalidOperationException: ['System', 'SystemException'],
  NotSupportedException: ['System', 'SystemException'],
  UnauthorizedAccessException: ['System', 'SystemException'],
  IOException: ['System.IO', 'SystemException'],
  DirectoryNotFoundException: ['System.IO', 'IOException'],
  FileNotFoundException: ['System.IO', 'IOException'],
  VirtualizationException: ['Microsoft.HyperV.PowerShell', 'Exception'],
  ClusterCmdletException: ['Microsoft.FailoverClusters.PowerShell', 'Exception'],
  ClusterCmdletNonTerminatingException: ['Microsoft.FailoverClusters.PowerShell', 'Exception'],
  WriteErrorException: ['Microsoft.PowerShell.Commands', 'SystemException'],
  ServiceCommandException: ['Microsoft.PowerShell.Commands', 'SystemException'],
  CimException: ['Microsoft.Management.Infrastructure', 'Exception'],
  WebException: ['System.Net', 'InvalidOperationException'],
  FormatException: ['System', 'SystemException'],
  UriFormatException: ['System', 'FormatException'],
};

/** The .NET full name of an exception type, e.g. RuntimeException → System.Management.Automation.RuntimeException. */
export function exceptionFullName(short: string): string {
  const ns = EXCEPTIONS[short]?.[0] ?? 'System';
  return `${ns}.${short}`;
}

/** The full names of the type and all its base types, most derived first (ending in System.Object). */
export function exceptionTypeChain(short: string): string[] {
  const chain: string[] = [];
  for (let t: string | undefined = short; t; t = EXCEPTIONS[t]?.[1] ?? (t === 'Exception' ? undefined : t === 'SystemException' ? 'Exception' : 'SystemException')) {
    chain.push(exceptionFullName(t));
  }
  return [...chain, 'System.Object'];
}

/** `$_.Exception` as scripts see it: typed with the full .NET name and its base types. */
export function exceptionObject(short: string, message: string): PsObject {
  const [full, ...bases] = exceptionTypeChain(short);
  const e = new PsObject(full, [['Message', message], ['InnerException', null]]);
  e.baseTypeNames = bases;
  e.toStringText = `${full}: ${message}`;
  return e;
}
