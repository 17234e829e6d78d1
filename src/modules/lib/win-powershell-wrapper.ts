// The PowerShell that runs a win_powershell script: parameters arrive as one JSON literal and are
// splatted (never spliced into code), every stream is captured and classified, and one JSON document
// between markers reports output, errors, warnings, host output and the $Ansible.* results.
import { psQuote } from '../../engine/connection/quote.js';

export const RESULT_BEGIN = 'FLEETPLAY-WIN-POWERSHELL-BEGIN';
export const RESULT_END = 'FLEETPLAY-WIN-POWERSHELL-END';

export type ErrorAction = 'silently_continue' | 'continue' | 'stop';

const PREFERENCE: Record<ErrorAction, string> = { silently_continue: 'SilentlyContinue', continue: 'Continue', stop: 'Stop' };

export interface WrapperInput {
  script: string;
  parameters?: Record<string, unknown>;
  errorAction?: ErrorAction;
  /** ConvertTo-Json depth for output objects (Ansible's default is 2). */
  depth?: number;
}

export function wrapperScript(w: WrapperInput): string {
  const depth = (w.depth ?? 2) + 1;
  return [
    "$ErrorActionPreference = 'Continue'",
    '$Ansible = [pscustomobject]@{ CheckMode = $false; Changed = $true; Failed = $false; Result = $null; Verbosity = 0 }',
    '$fpParams = @{}',
    `$fpJson = ConvertFrom-Json ${psQuote(JSON.stringify(w.parameters ?? {}))}`,
    'if ($null -ne $fpJson) { foreach ($fpP in $fpJson.PSObject.Properties) { $fpParams[$fpP.Name] = $fpP.Value } }',
    `$fpBlock = [scriptblock]::Create(${psQuote(w.script)})`,
    '$fpOut = @(); $fpErr = @(); $fpWarn = @(); $fpHost = @()',
    `$ErrorActionPreference = '${PREFERENCE[w.errorAction ?? 'continue']}'`,
    'try {',
    '  & $fpBlock @fpParams 2>&1 3>&1 6>&1 | ForEach-Object {',
    '    if ($_ -is [System.Management.Automation.ErrorRecord]) { $fpErr += $_ }',
    '    elseif ($_ -is [System.Management.Automation.WarningRecord]) { $fpWarn += [string]$_.Message }',
    '    elseif ($_ -is [System.Management.Automation.InformationRecord]) { $fpHost += [string]$_.MessageData }',
    '    else { $fpOut += ,$_ }',
    '  }',
    '} catch {',
    '  $fpErr += $_',
    '  $Ansible.Failed = $true',
    '}',
    "$ErrorActionPreference = 'Continue'",
    '$fpErrors = @($fpErr | ForEach-Object {',
    '  [ordered]@{',
    '    message = [string]$_',
    '    category_info = [string]$_.CategoryInfo',
    '    fully_qualified_error_id = [string]$_.FullyQualifiedErrorId',
    '    script_stack_trace = [string]$_.ScriptStackTrace',
    '    exception = [ordered]@{ message = [string]$_.Exception.Message; type = [string]$_.Exception.GetType().FullName }',
    '  }',
    '})',
    `'${RESULT_BEGIN}'`,
    '[ordered]@{',
    '  output = @($fpOut)',
    '  error = $fpErrors',
    '  warning = @($fpWarn)',
    '  host_out = ($fpHost -join "`n")',
    '  changed = [bool]$Ansible.Changed',
    '  failed = [bool]$Ansible.Failed',
    '  result = $Ansible.Result',
    `} | ConvertTo-Json -Depth ${depth} -Compress`,
    `'${RESULT_END}'`,
  ].join('\n');
}

export interface WrapperResult {
  output: unknown[];
  error: Array<{ message: string; [k: string]: unknown }>;
  warning: string[];
  host_out: string;
  changed: boolean;
  failed: boolean;
  result: unknown;
}

/** The JSON report, or undefined when the script ended the process (`exit`) before it was written. */
export function parseWrapperOutput(stdout: string): { report?: WrapperResult; extra: string } {
  const b = stdout.indexOf(RESULT_BEGIN);
  const e = stdout.indexOf(RESULT_END, b);
  if (b < 0 || e < 0) return { extra: stdout };
  const json = stdout.slice(b + RESULT_BEGIN.length, e).trim();
  const extra = (stdout.slice(0, b) + stdout.slice(e + RESULT_END.length)).trim();
  const raw = JSON.parse(json) as Partial<WrapperResult>;
  const list = <T>(v: unknown): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? (v as T[]) : [v as T]);
  return {
    extra,
    report: {
      output: list(raw.output),
      error: list(raw.error),
      warning: list<string>(raw.warning),
      host_out: raw.host_out ?? '',
      changed: raw.changed !== false,
      failed: raw.failed === true,
      result: raw.result ?? {},
    },
  };
}
