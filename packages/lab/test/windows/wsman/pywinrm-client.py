# Drives Debian's python3-winrm (pywinrm) against a WinRM endpoint. Reads a JSON job on stdin,
# prints one JSON result per step. Used by pywinrm.test.ts as an independent client.
import base64, json, sys, uuid
import winrm
from winrm.protocol import Protocol

job = json.load(sys.stdin)
kw = {'transport': job['transport']}
if job['url'].startswith('https'):
    kw['server_cert_validation'] = 'validate'
    kw['ca_trust_path'] = job['ca']
session = winrm.Session(job['url'], auth=(job['user'], job['password']), **kw)
proto = session.protocol

def send_stdin(shell_id, command_id, data):
    # pywinrm 0.3 has no Send helper: build the envelope the same way its other operations do.
    chunk = 100000
    for i in range(0, max(len(data), 1), chunk):
        piece = data[i:i + chunk]
        end = i + chunk >= len(data)
        req = {'env:Envelope': proto._get_soap_header(
            resource_uri='http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd',
            action='http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Send', shell_id=shell_id)}
        stream = req['env:Envelope'].setdefault('env:Body', {}).setdefault('rsp:Send', {}).setdefault('rsp:Stream', {})
        stream['@Name'] = 'stdin'
        stream['@CommandId'] = command_id
        if end:
            stream['@End'] = 'true'
        stream['#text'] = base64.b64encode(piece).decode('ascii')
        import xmltodict
        proto.send_message(xmltodict.unparse(req))

out = []
for step in job['steps']:
    try:
        if step['kind'] == 'cmd':
            r = session.run_cmd(step['command'], step.get('args', []))
            out.append({'ok': True, 'code': r.status_code, 'stdout': r.std_out.decode('utf-8', 'replace'), 'stderr': r.std_err.decode('utf-8', 'replace')})
        elif step['kind'] == 'ps':
            r = session.run_ps(step['script'])
            out.append({'ok': True, 'code': r.status_code, 'stdout': r.std_out.decode('utf-8', 'replace'), 'stderr': r.std_err if isinstance(r.std_err, str) else r.std_err.decode('utf-8', 'replace')})
        elif step['kind'] == 'raw':
            shell_id = proto.open_shell()
            command_id = proto.run_command(shell_id, step['command'], step.get('args', []))
            if 'stdin' in step:
                send_stdin(shell_id, command_id, step['stdin'].encode('utf-8'))
            so, se, code = proto.get_command_output(shell_id, command_id)
            proto.cleanup_command(shell_id, command_id)
            proto.close_shell(shell_id)
            out.append({'ok': True, 'code': code, 'stdoutLen': len(so), 'stdoutHead': so[:200].decode('utf-8', 'replace'),
                        'stdoutTail': so[-50:].decode('utf-8', 'replace'), 'stderr': se.decode('utf-8', 'replace')})
    except Exception as e:
        out.append({'ok': False, 'error': type(e).__name__ + ': ' + str(e)})
print(json.dumps(out))
