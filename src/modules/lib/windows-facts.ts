// Fact gathering on Windows hosts: one PowerShell script answers with one JSON object; the parser
// maps it to Ansible's Windows fact names (distribution = the OS caption, version = 10.0.x.y).

export const WINDOWS_GATHER_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '$os = Get-CimInstance -ClassName Win32_OperatingSystem',
  '$cs = Get-CimInstance -ClassName Win32_ComputerSystem',
  '$hv = [bool](Get-Command -Name Get-VM -ErrorAction SilentlyContinue)',
  '[ordered]@{',
  '  caption = [string]$os.Caption',
  '  version = [string]$os.Version',
  '  build = [string]$os.BuildNumber',
  '  architecture = [string]$os.OSArchitecture',
  '  product_type = [int]$os.ProductType',
  '  hostname = [string]$env:COMPUTERNAME',
  '  domain = [string]$cs.Domain',
  '  memory = [string]$cs.TotalPhysicalMemory',
  '  processors = [int]$cs.NumberOfLogicalProcessors',
  '  hyperv_present = $hv',
  '} | ConvertTo-Json -Compress',
].join('\n');

const PRODUCT_TYPES: Record<number, string> = { 1: 'workstation', 2: 'domain_controller', 3: 'server' };

export function parseWindowsFacts(stdout: string): Record<string, unknown> {
  const start = stdout.indexOf('{');
  const end = stdout.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('Windows fact gathering returned no JSON object');
  const raw = JSON.parse(stdout.slice(start, end + 1)) as Record<string, unknown>;
  const str = (k: string) => (raw[k] === undefined || raw[k] === null ? '' : String(raw[k]));
  let version = str('version');
  // Ansible reports four parts (10.0.20348.0); CIM gives three.
  if (/^\d+\.\d+\.\d+$/.test(version)) version += '.0';
  const hostname = str('hostname');
  const domain = str('domain');
  const memory = Number(raw.memory);
  const facts: Record<string, unknown> = {
    os_family: 'Windows',
    system: 'Win32NT',
    distribution: str('caption'),
    os_name: str('caption'),
    distribution_version: version,
    distribution_major_version: version.split('.')[0] ?? '',
    kernel: version,
    architecture: str('architecture'),
    hostname,
    nodename: domain && domain.toUpperCase() !== 'WORKGROUP' ? `${hostname}.${domain}` : hostname,
    fqdn: domain && domain.toUpperCase() !== 'WORKGROUP' ? `${hostname}.${domain}` : hostname,
    domain: domain.toUpperCase() === 'WORKGROUP' ? '' : domain,
    hyperv_present: raw.hyperv_present === true,
  };
  const pt = PRODUCT_TYPES[Number(raw.product_type)];
  if (pt) facts.os_product_type = pt;
  if (Number.isFinite(memory) && memory > 0) facts.memtotal_mb = Math.floor(memory / 1024 / 1024);
  if (typeof raw.processors === 'number') facts.processor_vcpus = raw.processors;
  return facts;
}
