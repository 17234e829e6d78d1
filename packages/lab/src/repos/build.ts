// Builds the lab's package repositories once per content and caches them on the machine:
//   <cache>/<hash>/www/{apt,rpm,keys}/  (served to the hosts)
//   <cache>/<hash>/gnupg/               (the signing keys' private halves; never served)
// The hash covers the catalogs and the builders' sources, so a changed package list or builder
// rebuilds, and every lab (the test suite starts many) reuses the same tree. A build goes to a temp
// directory that is renamed into place, so a half-built cache is never used; two labs building at
// once both succeed and one rename wins.
import { createHash } from 'node:crypto';
import { access, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildAptRepo } from './build-apt.js';
import { buildRpmRepos } from './build-rpm.js';
import { debCatalog, rpmCatalog } from './catalog.js';
import { LAB_DOCA_RELEASES, docaDebPackages, docaRpmPackages } from './doca-catalog.js';
import { buildDocaArea, type DocaHostSums } from './doca-host.js';
import { exportKey, makeKey } from './gpg.js';

export const DEFAULT_REPO_CACHE = process.env.FLEETLAB_REPO_CACHE ?? '/var/cache/fleetlab/package-repos';

export interface RepoTree {
  /** What the lab serves over HTTP. */
  www: string;
  /** The archive key hosts trust: binary keyring (apt Signed-By) and armored (rpm gpgkey). */
  keyring: string;
  armoredKey: string;
  fingerprint: string;
  /** sha256 of the doca-host packages served under doca/ (release → deb/rpm). */
  docaHostSha256: DocaHostSums;
}

const SOURCES = ['catalog', 'doca-catalog', 'doca-host', 'build-apt', 'build-rpm', 'gpg', 'build'];

async function contentHash(): Promise<string> {
  const h = createHash('sha256');
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  for (const s of SOURCES) h.update(await readFile(new URL(`./${s}${ext}`, import.meta.url)));
  const releases = Object.keys(LAB_DOCA_RELEASES);
  h.update(JSON.stringify([debCatalog(), rpmCatalog(), releases.map(docaDebPackages), releases.map(docaRpmPackages)]));
  return h.digest('hex').slice(0, 16);
}

async function tree(root: string, fingerprint: string): Promise<RepoTree> {
  const www = join(root, 'www');
  const docaHostSha256 = JSON.parse(await readFile(join(root, 'doca-host.json'), 'utf8')) as DocaHostSums;
  return { www, keyring: join(www, 'keys/fleetlab-archive-keyring.gpg'), armoredKey: join(www, 'keys/RPM-GPG-KEY-fleetlab'), fingerprint, docaHostSha256 };
}

async function build(dir: string): Promise<string> {
  const www = join(dir, 'www');
  const keys = join(www, 'keys');
  await mkdir(keys, { recursive: true });
  const trusted = await makeKey(join(dir, 'gnupg/trusted'), 'fleetlab archive <archive@fleetlab.invalid>');
  const rogue = await makeKey(join(dir, 'gnupg/rogue'), 'fleetlab rogue <rogue@fleetlab.invalid>');
  const keyring = join(keys, 'fleetlab-archive-keyring.gpg');
  const armored = join(keys, 'RPM-GPG-KEY-fleetlab');
  await exportKey(trusted, keyring, armored);
  await exportKey(rogue, join(keys, 'rogue-keyring.gpg'), join(keys, 'RPM-GPG-KEY-rogue'));
  await buildAptRepo(join(www, 'apt'), debCatalog(), trusted, rogue);
  await buildRpmRepos(join(www, 'rpm'), rpmCatalog(), trusted, rogue);
  const sums = await buildDocaArea(www, join(dir, '.doca-build'), trusted, keyring, armored);
  await writeFile(join(dir, 'doca-host.json'), `${JSON.stringify(sums, null, 2)}\n`);
  await writeFile(join(dir, 'fingerprint'), `${trusted.fingerprint}\n`);
  return trusted.fingerprint;
}

const STALE_MS = 7 * 86_400_000;

/** Trees of older catalogs or builders, untouched for a week: no running lab still serves them. */
async function pruneStale(cache: string, keep: string): Promise<void> {
  for (const name of await readdir(cache).catch(() => [] as string[])) {
    const dir = join(cache, name);
    if (dir === keep) continue;
    const st = await stat(dir).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > STALE_MS) await rm(dir, { recursive: true, force: true });
  }
}

export async function ensureRepos(cache = DEFAULT_REPO_CACHE): Promise<RepoTree> {
  const final = join(cache, await contentHash());
  const done = join(final, 'fingerprint');
  if (await access(done).then(() => true, () => false)) {
    // Touch the tree: its mtime says it is in use (see pruneStale).
    const now = new Date();
    await utimes(final, now, now).catch(() => undefined);
    return await tree(final, (await readFile(done, 'utf8')).trim());
  }
  await pruneStale(cache, final);
  await mkdir(cache, { recursive: true });
  const tmp = await mkdtemp(join(cache, '.build-'));
  try {
    await build(tmp);
    await rename(tmp, final).catch(async (e: NodeJS.ErrnoException) => {
      // Another lab finished the same build first: use its tree.
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
      await rm(tmp, { recursive: true, force: true });
    });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return await tree(final, (await readFile(done, 'utf8')).trim());
}
