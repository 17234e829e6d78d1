// File transfer over SSH through the real CLI: a 20 MiB controller file arrives byte for byte with
// the mode and owner asked for, and a second run neither changes nor rewrites it.
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/ssh/transfer.yml', import.meta.url).pathname;
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
});
