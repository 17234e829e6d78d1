// Output, conversion and scripting cmdlets: Write-*, Out-*, ConvertTo/From-Json, Start-Sleep,
// Get-Date, Invoke-Expression, Set-StrictMode, New-Object, Get-Command, Get-Module, Import-Module.

import { CmdletError, errorInfo } from '../ps/errors.js';
import { formatOutput } from '../ps/format.js';
import { convertFromJson, convertToJson } from '../ps/json.js';
import { hasWildcard, wildcardToRegExp } from '../ps/operators.js';
import { enumerate, listArray, PsHashtable, PsObject, toNumber, toStr, type PsValue } from '../ps/values.js';
import { formatDate } from './dates.js';
import { typed, type Cmdlet } from './machine.js';

const UTIL = 'Microsoft.PowerShell.Utility';
const CORE = 'Microsoft.PowerShell.Core';
const cmd = (n: string): string => `Microsoft.PowerShell.Commands.${n}Command`;

/** Modules Get-Module / Import-Module know, and whether they exist depends on the host's features. */
export const KNOWN_MODULES = ['Hyper-V', 'FailoverClusters', 'Microsoft.PowerShell.Utility', 'Microsoft.PowerShell.Management', 'CimCmdlets', 'ServerManager'];

export const coreCmdlets: Cmdlet[] = [
  {
    name: 'Write-Output', module: UTIL, commandType: cmd('WriteOutput'), input: 'each',
    params: [{ name: 'InputObject', type: 'any', position: 0, pipeline: { byValue: true } }, { name: 'NoEnumerate', type: 'switch' }],
    run(ctx, a) {
      ctx.write(a['InputObject'] ?? null, !!a['NoEnumerate']);
    },
  },
  {
    name: 'Write-Host', module: UTIL, commandType: cmd('WriteHost'), input: 'each',
    params: [
      { name: 'Object', type: 'any', position: 0, pipeline: { byValue: true } }, { name: 'NoNewline', type: 'switch' },
      { name: 'Separator', type: 'string' }, { name: 'ForegroundColor', type: 'string' }, { name: 'BackgroundColor', type: 'string' },
    ],
    run(ctx, a) {
      const text = enumerate(a['Object'] ?? '').map(toStr).join(a['Separator'] !== undefined ? toStr(a['Separator']) : ' ');
      const color = (n: string): string | undefined => (a[n] !== undefined ? toStr(a[n]) : undefined);
      ctx.writeHost(text, !a['NoNewline'], { foreground: color('ForegroundColor'), background: color('BackgroundColor') });
    },
  },
  {
    name: 'Write-Error', module: UTIL, commandType: cmd('WriteError'), input: 'each',
    params: [
      { name: 'Message', aliases: ['Msg'], type: 'string', position: 0, pipeline: { byValue: true } }, { name: 'Category', type: 'string' },
      { name: 'ErrorId', type: 'string' }, { name: 'TargetObject', type: 'any' }, { name: 'Exception', type: 'any' }, { name: 'ErrorRecord', type: 'any' },
    ],
    run(ctx, a) {
      const message = a['Message'] !== undefined ? toStr(a['Message']) : toStr(a['Exception'] ?? a['ErrorRecord'] ?? '');
      ctx.writeError(errorInfo(message, a['Category'] ? toStr(a['Category']) : 'NotSpecified',
        a['ErrorId'] ? toStr(a['ErrorId']) : 'Microsoft.PowerShell.Commands.WriteErrorException', 'WriteErrorException', a['TargetObject']), 'write-error');
    },
  },
  {
    name: 'Write-Warning', module: UTIL, commandType: cmd('WriteWarning'), input: 'each',
    params: [{ name: 'Message', type: 'string', position: 0, mandatory: true, pipeline: { byValue: true } }],
    run(ctx, a) {
      ctx.writeWarning(toStr(a['Message']));
    },
  },
  ...(['Verbose', 'Debug'] as const).map((kind): Cmdlet => ({
    name: `Write-${kind}`, module: UTIL, commandType: cmd(`Write${kind}`), input: 'each',
    params: [{ name: 'Message', aliases: ['Msg'], type: 'string', position: 0, mandatory: true, pipeline: { byValue: true } }],
    run(ctx, a) {
      if (kind === 'Verbose') ctx.writeVerbose(toStr(a['Message']));
      else ctx.writeDebug(toStr(a['Message']));
    },
  })),
  {
    name: 'Write-Information', module: UTIL, commandType: cmd('WriteInformation'), input: 'each',
    params: [{ name: 'MessageData', aliases: ['Msg'], type: 'any', position: 0, mandatory: true, pipeline: { byValue: true } }, { name: 'Tags', type: 'string[]', position: 1 }],
    run(ctx, a) {
      ctx.writeInformation(a['MessageData'] ?? null, enumerate(a['Tags'] ?? []).map(toStr));
    },
  },
  {
    // Progress records are not part of what the lab reports (only the module-loading one, see POWERSHELL.md).
    name: 'Write-Progress', module: UTIL, commandType: cmd('WriteProgress'), input: 'each',
    params: [{ name: 'Activity', type: 'string', position: 0 }, { name: 'Status', type: 'string', position: 1 }, { name: 'Id', type: 'int' },
      { name: 'PercentComplete', type: 'int' }, { name: 'SecondsRemaining', type: 'int' }, { name: 'CurrentOperation', type: 'string' },
      { name: 'ParentId', type: 'int' }, { name: 'Completed', type: 'switch' }],
    run() {},
  },
  {
    name: 'Out-Null', module: CORE, commandType: cmd('OutNull'), input: 'all',
    params: [{ name: 'InputObject', type: 'any', pipeline: { byValue: true } }],
    run() {},
  },
  {
    name: 'Out-String', module: UTIL, commandType: cmd('OutString'), input: 'all',
    params: [{ name: 'InputObject', type: 'any', pipeline: { byValue: true } }, { name: 'Stream', type: 'switch' }, { name: 'Width', type: 'int' }],
    run(ctx, a, input) {
      const text = formatOutput(a['InputObject'] !== undefined ? [a['InputObject']] : input);
      if (a['Stream']) for (const line of text.split('\r\n').slice(0, -1)) ctx.write(line);
      else ctx.write(text);
    },
  },
  ...['Out-Host', 'Out-Default'].map((name): Cmdlet => ({
    name, module: CORE, commandType: cmd(name.replace('-', '')), input: 'all',
    params: [{ name: 'InputObject', type: 'any', pipeline: { byValue: true } }],
    run(ctx, a, input) {
      const values = a['InputObject'] !== undefined ? [a['InputObject']] : input;
      if (name === 'Out-Default') ctx.outDefault(values);
      else {
        const text = formatOutput(values);
        if (text) ctx.writeConsole(text);
      }
    },
  })),
  {
    name: 'ConvertTo-Json', module: UTIL, commandType: cmd('ConvertToJson'), input: 'all',
    params: [{ name: 'InputObject', type: 'any', position: 0, pipeline: { byValue: true } }, { name: 'Depth', type: 'int' }, { name: 'Compress', type: 'switch' }],
    run(ctx, a, input) {
      let value: PsValue;
      if (ctx.bound('InputObject')) value = a['InputObject'];
      else if (input.length === 0) return;
      else value = input.length === 1 ? input[0] : input;
      ctx.write(convertToJson(value, a['Depth'] !== undefined ? toNumber(a['Depth']) : 2, !!a['Compress']));
    },
  },
  {
    name: 'ConvertFrom-Json', module: UTIL, commandType: cmd('ConvertFromJson'), input: 'all',
    params: [{ name: 'InputObject', type: 'string', position: 0, mandatory: false, pipeline: { byValue: true } }],
    run(ctx, a, input) {
      const text = ctx.bound('InputObject') ? toStr(a['InputObject']) : input.map(toStr).join('\n');
      // Windows PowerShell writes a top-level JSON array as ONE object (not enumerated).
      ctx.write(convertFromJson(text), true);
    },
  },
  {
    name: 'Start-Sleep', module: UTIL, commandType: cmd('StartSleep'), input: 'none',
    params: [{ name: 'Seconds', aliases: ['s'], type: 'double', position: 0 }, { name: 'Milliseconds', aliases: ['ms'], type: 'int' }],
    run(ctx, a) {
      ctx.sleep(a['Milliseconds'] !== undefined ? toNumber(a['Milliseconds']) : toNumber(a['Seconds'] ?? 0) * 1000);
    },
  },
  {
    name: 'Get-Date', module: UTIL, commandType: cmd('GetDate'), input: 'none',
    params: [{ name: 'Date', type: 'any', position: 0 }, { name: 'Format', type: 'string' }, { name: 'UFormat', type: 'string' }],
    run(ctx, a) {
      const d = a['Date'] instanceof Date ? a['Date'] : a['Date'] !== undefined ? new Date(toStr(a['Date'])) : new Date();
      if (a['Format'] !== undefined) ctx.write(formatDate(d, toStr(a['Format'])));
      else if (a['UFormat'] !== undefined) ctx.write(toStr(a['UFormat']) === '%s' ? String(Math.floor(d.getTime() / 1000)) : d.toISOString());
      else ctx.write(d);
    },
  },
  {
    name: 'Invoke-Expression', module: UTIL, commandType: cmd('InvokeExpression'), input: 'each',
    params: [{ name: 'Command', type: 'string', position: 0, mandatory: true, pipeline: { byValue: true } }],
    run(ctx, a) {
      ctx.write(ctx.runScript(toStr(a['Command'])));
    },
  },
  {
    name: 'Set-StrictMode', module: CORE, commandType: cmd('SetStrictMode'), input: 'none',
    params: [{ name: 'Version', type: 'string', position: 0 }, { name: 'Off', type: 'switch' }],
    // Accepted for compatibility; the lab does not enforce strict-mode variable checks.
    run() {},
  },
  {
    name: 'New-Object', module: UTIL, commandType: cmd('NewObject'), input: 'none',
    params: [{ name: 'TypeName', type: 'string', position: 0, mandatory: true }, { name: 'ArgumentList', type: 'any[]', position: 1 }, { name: 'Property', type: 'hashtable' }],
    run(ctx, a) {
      const t = toStr(a['TypeName']).toLowerCase().replace(/^system\.management\.automation\./, '');
      if (t === 'psobject' || t === 'pscustomobject' || t === 'object') {
        const props = a['Property'] instanceof PsHashtable ? a['Property'].entries().map(([k, v]) => [toStr(k), v] as [string, PsValue]) : [];
        ctx.write(new PsObject(undefined, props));
        return;
      }
      if (/^(system\.)?collections\.(arraylist|generic\.list\[.*\])$/.test(t)) {
        ctx.write(listArray(), true);
        return;
      }
      throw new CmdletError(errorInfo(`Cannot find type [${toStr(a['TypeName'])}]: verify that the assembly containing this type is loaded.`, 'InvalidType', 'TypeNotFound', 'PSArgumentException'), true);
    },
  },
  {
    name: 'Get-Command', module: CORE, commandType: cmd('GetCommand'), input: 'none',
    params: [{ name: 'Name', type: 'string[]', position: 0 }, { name: 'Module', type: 'string[]' }, { name: 'CommandType', type: 'string[]' }],
    run(ctx, a) {
      const all = ctx.listCommands();
      const info = (c: { name: string; commandType: string; module: string; definition?: string }): PsObject =>
        typed(`System.Management.Automation.${c.commandType}Info`, [['Name', c.name], ['CommandType', c.commandType], ['Source', c.module], ['ModuleName', c.module],
          ['Definition', c.definition ?? c.name], ['Version', c.module ? '2.0.0.0' : null]], c.name);
      if (a['Module'] !== undefined) {
        const mods = enumerate(a['Module']).map((m) => toStr(m).toLowerCase());
        for (const c of all) if (mods.includes(c.module.toLowerCase())) ctx.write(info(c));
        return;
      }
      for (const n of enumerate(a['Name'] ?? ['*']).map(toStr)) {
        if (hasWildcard(n)) {
          const re = wildcardToRegExp(n);
          for (const c of all) if (re.test(c.name)) ctx.write(info(c));
          continue;
        }
        const found = ctx.findCommand(n);
        if (found) ctx.write(info(found));
        else {
          ctx.writeError(errorInfo(`The term '${n}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
            'ObjectNotFound', 'CommandNotFoundException', 'CommandNotFoundException', n));
        }
      }
    },
  },
  {
    name: 'Get-Module', module: CORE, commandType: cmd('GetModule'), input: 'none',
    params: [{ name: 'Name', type: 'string[]', position: 0 }, { name: 'ListAvailable', type: 'switch' }],
    run(ctx, a) {
      const present = new Set(ctx.listCommands().map((c) => c.module.toLowerCase()));
      const names = a['Name'] !== undefined ? enumerate(a['Name']).map(toStr) : KNOWN_MODULES;
      for (const n of names) {
        const m = KNOWN_MODULES.find((k) => k.toLowerCase() === n.toLowerCase() && present.has(k.toLowerCase()));
        if (m) ctx.write(typed('System.Management.Automation.PSModuleInfo', [['Name', m], ['Version', '2.0.0.0'], ['ModuleType', 'Manifest']], m));
      }
    },
  },
  {
    name: 'Import-Module', module: CORE, commandType: cmd('ImportModule'), input: 'none',
    params: [{ name: 'Name', type: 'string[]', position: 0, mandatory: true }, { name: 'Force', type: 'switch' }, { name: 'PassThru', type: 'switch' }],
    run(ctx, a) {
      const present = new Set(ctx.listCommands().map((c) => c.module.toLowerCase()));
      for (const n of enumerate(a['Name']).map(toStr)) {
        if (!present.has(n.toLowerCase())) {
          ctx.writeError(errorInfo(`The specified module '${n}' was not loaded because no valid module file was found in any module directory.`, 'ResourceUnavailable', 'Modules_ModuleNotFound', 'FileNotFoundException', n));
        }
      }
    },
  },
];
