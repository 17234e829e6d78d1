// get_url through the real CLI on an Ubuntu and a RHEL lab host, downloading from the lab's MOFED
// mirror with the host's own curl: check mode downloads nothing, a real run downloads and checks,
// a second run changes nothing (idempotent by checksum), and a wrong checksum fails leaving no file.
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/system/get-url.yml', import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const STATE = ['/var/lib/fleethost'];
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });

async function source() {
  const m = lab.info.mofed!;
  const sums = `${m.baseUrl}/MLNX_OFED-${m.version}/SHA256SUMS`;
  const [sha, name] = (await (await fetch(sums)).text()).split('\n')[0]!.split(/\s+/) as [string, string];
  return { sums, sha, name, tarball: `${m.baseUrl}/MLNX_OFED-${m.version}/${name}` };
}
const play = async (extra: string[] = [], vars: Record<string, string> = {}) => {
  const s = await source();
  return { s, r: await fleetplay([PLAYBOOK, '-i', lab.inventory, '-e', JSON.stringify({ tarball: s.tarball, sums: s.sums, sha: s.sha, ...vars }), ...extra]) };
};

describe('get_url over SSH', () => {
  it('--check downloads nothing', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const { r } = await play(['--check']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 2, failed: 0 });
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
  });

  it('a real run downloads on the host, checked, with the mode asked for', async () => {
    const { r, s } = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`"msg": "/var/lib/fleethost/${s.name} ${s.sha}"`);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ changed: 2, failed: 0 });
      expect(await lab.sh(h, `cd /var/lib/fleethost && sha256sum ${s.name} mofed.tgz | cut -d' ' -f1 | uniq; stat -c '%a %U' ${s.name} mofed.tgz; ls -a | grep -c '^\\.' `)).toBe(
        `${s.sha}\n640 root\n644 root\n2\n`,
      );
    }
  });

  it('a second run changes nothing and writes nothing; a wrong checksum fails and leaves no file', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const { r } = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
    await Promise.all(HOSTS.map((h) => lab.sh(h, 'sudo rm -f /var/lib/fleethost/mofed.tgz')));
    const bad = await play([], { sha: '0'.repeat(64) });
    expect(bad.r.code).toBe(2);
    expect(bad.r.stdout).toContain(`The checksum for /var/lib/fleethost/mofed.tgz did not match ${'0'.repeat(64)}; it was ${bad.s.sha}.`);
    for (const h of HOSTS) expect(await lab.sh(h, 'ls -a /var/lib/fleethost | grep -c mofed || true')).toBe('0\n');
  });
});
