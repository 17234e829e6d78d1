// The command table the interpreter resolves names against: every cmdlet of the lab host (hidden when
// its feature is absent), PowerShell 5.1's default aliases, external programs, static .NET members.

import type { CommandTable } from '../ps/cmdlet.js';
import { contentCmdlets, encodeText } from './content.js';
import { clusterCmdlets } from './cluster.js';
import { coreCmdlets } from './core.js';
import { setStaticMember, staticMember } from './dotnet.js';
import { featureCmdlets } from './features.js';
import { fileCmdlets } from './files.js';
import { gpuCmdlets } from './hyperv-gpu.js';
import { vmCmdlets } from './hyperv-vm.js';
import type { Cmdlet, Machine } from './machine.js';
import { nativeExists, runNative } from './natives.js';
import { pipelineCmdlets } from './pipeline.js';
import { registryValueCmdlets } from './registry-values.js';
import { serviceCmdlets } from './services.js';
import { systemCmdlets } from './system.js';
import { webCmdlets } from './web.js';

export const ALL_CMDLETS: Cmdlet[] = [...coreCmdlets, ...pipelineCmdlets, ...fileCmdlets, ...contentCmdlets, ...registryValueCmdlets, ...systemCmdlets, ...featureCmdlets, ...serviceCmdlets, ...webCmdlets, ...vmCmdlets, ...gpuCmdlets, ...clusterCmdlets];

const BY_NAME = new Map(ALL_CMDLETS.map((c) => [c.name.toLowerCase(), c]));

export const ALIASES: Record<string, string> = {
  '%': 'ForEach-Object', foreach: 'ForEach-Object', '?': 'Where-Object', where: 'Where-Object', select: 'Select-Object',
  sort: 'Sort-Object', measure: 'Measure-Object', echo: 'Write-Output', write: 'Write-Output', gc: 'Get-Content',
  cat: 'Get-Content', type: 'Get-Content', sc: 'Set-Content', ac: 'Add-Content', gi: 'Get-Item', gci: 'Get-ChildItem',
  ls: 'Get-ChildItem', dir: 'Get-ChildItem', ri: 'Remove-Item', rm: 'Remove-Item', del: 'Remove-Item', erase: 'Remove-Item',
  rd: 'Remove-Item', rmdir: 'Remove-Item', mi: 'Move-Item', mv: 'Move-Item', move: 'Move-Item', cp: 'Copy-Item',
  copy: 'Copy-Item', cpi: 'Copy-Item', ni: 'New-Item', cd: 'Set-Location', chdir: 'Set-Location', sl: 'Set-Location',
  pwd: 'Get-Location', gl: 'Get-Location', iex: 'Invoke-Expression', gcm: 'Get-Command', gwmi: 'Get-WmiObject',
  gcim: 'Get-CimInstance', sleep: 'Start-Sleep', start: 'Start-Process', saps: 'Start-Process', gip: 'Get-ItemProperty',
  gsv: 'Get-Service', sasv: 'Start-Service', spsv: 'Stop-Service', srv: 'Restart-Service', ipmo: 'Import-Module', gmo: 'Get-Module', oh: 'Out-Host',
  'add-windowsfeature': 'Install-WindowsFeature', 'remove-windowsfeature': 'Uninstall-WindowsFeature',
  iwr: 'Invoke-WebRequest', curl: 'Invoke-WebRequest', wget: 'Invoke-WebRequest',
};

export function createCommandTable(): CommandTable<Machine> {
  return {
    cmdlet(machine, name) {
      const c = BY_NAME.get(name.toLowerCase());
      return c && (!c.available || c.available(machine)) ? c : undefined;
    },
    alias: (name) => ALIASES[name.toLowerCase()],
    native(machine, name) {
      if (!nativeExists(machine, name)) return undefined;
      return (m, args, stdin) => runNative(m, [name, ...args], stdin) ?? { stdout: '', stderr: '', exitCode: 1 };
    },
    staticMember,
    setStaticMember,
    redirectToFile(machine, path, text, append) {
      machine.fs.write(path, append ? Buffer.from(text, 'utf16le') : encodeText(text, 'Unicode'), append);
    },
    envVariable(machine, name) {
      const key = Object.keys(machine.env).find((k) => k.toLowerCase() === name.toLowerCase());
      return key === undefined ? undefined : machine.env[key];
    },
    listCmdlets: (machine) => ALL_CMDLETS.filter((c) => !c.available || c.available(machine)),
  };
}
