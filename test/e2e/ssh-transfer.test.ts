// File transfer over SSH through the real CLI: a 20 MiB controller file arrives byte for byte with
// the mode and owner asked for, and a second run neither changes nor rewrites it; directory trees
// (from the controller and on the host with remote_src) the same, check mode first.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/ssh/transfer.yml', import.meta.url).pathname;
const TREES = new URL('fixtures/ssh/trees.yml', import.meta.url).pathname;
const H = 'linux-01';
const SIZE = 20 * 1024 * 1024;
const lab = useLab({ linux: 1 });

describe('file transfer over SSH', () => {
  it('copies 20 MiB with mode and owner set, then is idempotent', async () => {
    // Random bytes: any corruption, truncation or newline translation changes the hash.
    const data = randomBytes(SIZE);
    const big = join(lab.work, 'big.bin');
    await writeFile(big, data);
    const sha = createHash('sha256').update(data).digest('hex');
    const play = () => fleetplay([PLAYBOOK, '-i', lab.inventory, '-e', `big_file=${big}`]);

    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout)[H]).toMatchObject({ changed: 1, failed: 0 });
    expect(await lab.sh(H, 'stat -c "%s %a %U:%G" /var/lib/fleethost/big.bin; sudo sha256sum /var/lib/fleethost/big.bin')).toBe(
      `${SIZE} 640 fleetpw:fleet\n${sha}  /var/lib/fleethost/big.bin\n`,
    );
    // Nothing but the file itself is left in the directory (no temp file of the atomic write).
    expect(await lab.sh(H, 'ls -A /var/lib/fleethost')).toBe('big.bin\n');

    const before = await lab.snapshot(H, ['/var/lib/fleethost']);
    const again = await play();
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(recap(again.stdout)[H]).toMatchObject({ changed: 0, failed: 0 });
    expect(await lab.snapshot(H, ['/var/lib/fleethost'])).toBe(before);
  });

  it('copies directory trees: check mode writes nothing, the first run creates them, the second changes nothing', async () => {
    const site = join(lab.work, 'site');
    await mkdir(join(site, 'conf'), { recursive: true });
    await writeFile(join(site, 'index.html'), '<h1>fleet</h1>\n');
    await writeFile(join(site, 'conf', 'app.conf'), 'port=80\n');
    const play = (...extra: string[]) => fleetplay([TREES, '-i', lab.inventory, '-e', `tree=${site}`, ...extra]);
    const before = await lab.snapshot(H, ['/var/lib/fleethost']);

    const check = await play('--check', '--diff');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(recap(check.stdout)[H]).toMatchObject({ changed: 2, skipped: 2, failed: 0 });
    expect(check.stdout).toContain('+++ after: /var/lib/fleethost/trees/flat/conf/app.conf\n@@ -0,0 +1,1 @@\n+port=80\n');
    expect(check.stdout).toMatch(/\/var\/lib\/fleethost\/trees\/www\/site\/conf:\n\s+state: absent → directory/);
    expect(await lab.snapshot(H, ['/var/lib/fleethost'])).toBe(before);

    const first = await play();
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(recap(first.stdout)[H]).toMatchObject({ changed: 4, failed: 0 });
    expect(await lab.sh(H, 'cd /var/lib/fleethost/trees && find . -printf "%p %y %m\n" | sort && cat mirror/site/conf/app.conf index.copy')).toBe(
      [
        '. d 755',
        './flat d 755',
        './flat/conf d 755',
        './flat/conf/app.conf f 644',
        './flat/index.html f 644',
        './index.copy f 600',
        './mirror d 755',
        './mirror/site d 750',
        './mirror/site/conf d 750',
        './mirror/site/conf/app.conf f 640',
        './mirror/site/index.html f 640',
        './www d 750',
        './www/site d 750',
        './www/site/conf d 750',
        './www/site/conf/app.conf f 640',
        './www/site/index.html f 640',
        'port=80',
        '<h1>fleet</h1>',
        '',
      ].join('\n'),
    );

    const written = await lab.snapshot(H, ['/var/lib/fleethost/trees']);
    const again = await play();
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(recap(again.stdout)[H]).toMatchObject({ changed: 0, failed: 0 });
    expect(await lab.snapshot(H, ['/var/lib/fleethost/trees'])).toBe(written);

    // One changed controller file: both controller copies and the host copy of www follow; flat keeps a backup.
    await writeFile(join(site, 'conf', 'app.conf'), 'port=8080\n');
    const changed = await play('--diff');
    expect(changed.code, changed.stdout + changed.stderr).toBe(0);
    expect(recap(changed.stdout)[H]).toMatchObject({ changed: 3, failed: 0 });
    expect(changed.stdout).toContain('-port=80\n+port=8080\n');
    expect(await lab.sh(H, 'cd /var/lib/fleethost/trees/flat/conf && ls | wc -l && cat app.conf app.conf.*~')).toBe('2\nport=8080\nport=80\n');
  });
});
