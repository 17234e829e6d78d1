// Invoke-WebRequest (Windows PowerShell 5.1), the subset modules use to download packages:
// -Uri, -OutFile, -UseBasicParsing, -PassThru, -TimeoutSec, -MaximumRedirection, -Method Get. HTTP
// only, and only inside the lab network (see host/http-get.ts); failures are terminating
// WebExceptions worded like .NET's.

import { httpGet } from '../host/http-get.js';
import { CmdletError, errorInfo } from '../ps/errors.js';
import { PsHashtable, toNumber, toStr } from '../ps/values.js';
import { typed, type Cmdlet } from './machine.js';

const COMMAND = 'Microsoft.PowerShell.Commands.InvokeWebRequestCommand';

function webError(message: string, uri: string): CmdletError {
  return new CmdletError(errorInfo(message, 'InvalidOperation', 'WebCmdletWebResponseException', 'WebException', uri), true);
}

export const webCmdlets: Cmdlet[] = [
  {
    name: 'Invoke-WebRequest', module: 'Microsoft.PowerShell.Utility', commandType: COMMAND, input: 'none',
    params: [
      { name: 'Uri', type: 'string', position: 0, mandatory: true }, { name: 'OutFile', type: 'string' }, { name: 'UseBasicParsing', type: 'switch' },
      { name: 'PassThru', type: 'switch' }, { name: 'TimeoutSec', type: 'int' }, { name: 'MaximumRedirection', type: 'int' },
      { name: 'Method', type: 'string', validateSet: ['Default', 'Get', 'Head', 'Post', 'Put', 'Delete', 'Trace', 'Options', 'Merge', 'Patch'] },
      { name: 'UserAgent', type: 'string' }, { name: 'Headers', type: 'hashtable' },
    ],
    run(ctx, a) {
      const uri = toStr(a['Uri']);
      const method = toStr(a['Method'] ?? 'Get').toLowerCase();
      if (method !== 'get' && method !== 'default') {
        throw new CmdletError(errorInfo(`The lab host's Invoke-WebRequest supports only -Method Get (see POWERSHELL.md), not '${toStr(a['Method'])}'.`, 'NotImplemented', 'UnsupportedSyntax', 'PSNotSupportedException', a['Method']), true);
      }
      let url: URL;
      try {
        url = new URL(uri);
      } catch {
        throw new CmdletError(errorInfo('Invalid URI: The format of the URI could not be determined.', 'InvalidArgument', 'System.UriFormatException', 'UriFormatException', uri), true);
      }
      if (url.protocol === 'https:') {
        throw new CmdletError(errorInfo(`The lab host's Invoke-WebRequest fetches http:// URLs only (see POWERSHELL.md): ${uri}`, 'NotImplemented', 'UnsupportedSyntax', 'PSNotSupportedException', uri), true);
      }
      if (url.protocol !== 'http:') throw webError(`The URI prefix is not recognized.`, uri);
      const toFile = a['OutFile'] !== undefined;
      const wantsObject = !toFile || !!a['PassThru'];
      // Windows PowerShell parses HTML with Internet Explorer's engine unless told not to; servers have none.
      if (wantsObject && !a['UseBasicParsing']) {
        throw new CmdletError(errorInfo("The response content cannot be parsed because the Internet Explorer engine is not available, or Internet Explorer's first-launch configuration is not complete. Specify the UseBasicParsing parameter and try again.",
          'NotImplemented', 'WebCmdletIEDomNotSupportedException', 'NotSupportedException'), true);
      }
      const r = httpGet(url, a['TimeoutSec'] !== undefined && toNumber(a['TimeoutSec']) > 0 ? toNumber(a['TimeoutSec']) : 100, a['MaximumRedirection'] !== undefined ? toNumber(a['MaximumRedirection']) : 5);
      if (!r.ok) {
        if (r.kind === 'dns') throw webError(`The remote name could not be resolved: '${url.hostname}'`, uri);
        if (r.kind === 'timeout') throw webError('The operation has timed out.', uri);
        if (r.kind === 'status') {
          // 5.1 shows the error page's text when the server sent one.
          throw webError(r.body?.trim() ? r.body.trim() : `The remote server returned an error: (${r.status}) ${r.statusText}.`, uri);
        }
        if (r.kind === 'protocol') throw webError(r.message, uri);
        throw webError('Unable to connect to the remote server', uri);
      }
      if (toFile) ctx.machine.fs.write(toStr(a['OutFile']), r.body);
      if (!wantsObject) return;
      const headers = new PsHashtable();
      for (const [k, v] of Object.entries(r.headers)) headers.set(k, v);
      const content = r.body.toString('utf8');
      ctx.write(typed('Microsoft.PowerShell.Commands.BasicHtmlWebResponseObject', [
        ['Content', content], ['StatusCode', r.status], ['StatusDescription', r.statusText], ['RawContentLength', r.body.length], ['Headers', headers],
      ], content));
    },
  },
];
