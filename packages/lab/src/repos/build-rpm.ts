// Builds the lab's rpm repositories: noarch rpms made by rpmbuild from generated specs, signed with
// rpmsign, indexed by createrepo_c, and repomd.xml signed (repomd.xml.asc). `el8` is signed with the
// trusted key; `el8-untrusted` holds the same packages signed with the rogue key.
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from '../run-tool.js';
import { binScript, type LabPackage } from './catalog.js';
import { signRepomd, signRpms, type SigningKey } from './gpg.js';

export const RPM_REPOS = { trusted: 'el8', untrusted: 'el8-untrusted' } as const;

function spec(p: LabPackage): string {
  const lines = [
    `Name: ${p.name}`,
    `Version: ${p.version}`,
    `Release: ${p.revision}`,
    `Summary: ${p.summary}`,
    'License: MIT',
    'BuildArch: noarch',
    // The host's rpm database holds only what the lab installs (the Debian userland is not in it),
    // so automatic requirements such as /bin/sh could never be met.
    'AutoReq: no',
    ...(p.depends ?? []).map((d) => `Requires: ${d}`),
    ...(p.recommends ?? []).map((d) => `Recommends: ${d}`),
    '',
    '%description',
    'A small package built by the fleetplay lab.',
    '',
    '%install',
    `mkdir -p %{buildroot}/usr/share/fleetlab-packages/${p.name}`,
    `echo '${p.version}-${p.revision}' > %{buildroot}/usr/share/fleetlab-packages/${p.name}/VERSION`,
  ];
  if (p.bin) {
    lines.push('mkdir -p %{buildroot}/usr/bin', `cat > %{buildroot}/usr/bin/${p.bin} <<'FLEETLAB_EOF'`, binScript(p).trimEnd(), 'FLEETLAB_EOF', `chmod 755 %{buildroot}/usr/bin/${p.bin}`);
  }
  for (const f of p.files ?? []) {
    const dir = f.path.slice(0, f.path.lastIndexOf('/'));
    lines.push(`mkdir -p %{buildroot}${dir}`, `cat > %{buildroot}${f.path} <<'FLEETLAB_EOF'`, f.content.trimEnd(), 'FLEETLAB_EOF', `chmod ${(f.mode ?? 0o644).toString(8)} %{buildroot}${f.path}`);
  }
  for (const t of p.trees ?? []) lines.push(`mkdir -p %{buildroot}${t.to.slice(0, t.to.lastIndexOf('/'))}`, `cp -a ${t.from} %{buildroot}${t.to}`);
  if (p.failingPostinst) lines.push('', '%post', `echo "${p.name}: configuration failed on purpose" >&2`, 'exit 1');
  lines.push('', '%files', `/usr/share/fleetlab-packages/${p.name}`);
  if (p.bin) lines.push(`/usr/bin/${p.bin}`);
  for (const f of p.files ?? []) lines.push(f.path);
  for (const t of p.trees ?? []) lines.push(t.to);
  return `${lines.join('\n')}\n`;
}

export async function buildRpms(packages: readonly LabPackage[], top: string, out: string): Promise<string[]> {
  await mkdir(join(top, 'SPECS'), { recursive: true });
  await mkdir(out, { recursive: true });
  for (const p of packages) {
    const file = join(top, 'SPECS', `${p.name}-${p.version}-${p.revision}.spec`);
    await writeFile(file, spec(p));
    await runTool('rpmbuild', [
      '--quiet', '-bb',
      '--define', `_topdir ${top}`,
      '--define', `_rpmdir ${out}`,
      '--define', '_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm',
      // Debian's rpm would otherwise keep its database in ~/.rpmdb and look for build deps there.
      '--nodeps',
      '--define', 'source_date_epoch_from_changelog 0',
      file,
    ], { label: `rpmbuild ${p.name}-${p.version}-${p.revision}`, env: { ...process.env, SOURCE_DATE_EPOCH: '1704067200' } });
  }
  return (await readdir(out)).filter((f) => f.endsWith('.rpm')).map((f) => join(out, f));
}

async function index(dir: string, key: SigningKey): Promise<void> {
  await runTool('createrepo_c', ['--quiet', '--no-database', dir]);
  await signRepomd(key, join(dir, 'repodata/repomd.xml'));
}

export async function buildRpmRepos(root: string, packages: readonly LabPackage[], trusted: SigningKey, rogue: SigningKey): Promise<void> {
  const good = join(root, RPM_REPOS.trusted);
  const bad = join(root, RPM_REPOS.untrusted);
  const top = join(root, '.rpmbuild');
  const built = await buildRpms(packages, top, join(top, 'out'));
  await mkdir(good, { recursive: true });
  await mkdir(bad, { recursive: true });
  for (const f of built) {
    const name = f.split('/').pop()!;
    await cp(f, join(good, name));
    await cp(f, join(bad, name));
  }
  await signRpms(trusted, built.map((f) => join(good, f.split('/').pop()!)));
  await signRpms(rogue, built.map((f) => join(bad, f.split('/').pop()!)));
  await runTool('rm', ['-rf', top]);
  await index(good, trusted);
  await index(bad, rogue);
}
