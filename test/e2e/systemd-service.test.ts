// systemd_service (systemd) and service_facts through the real CLI on an Ubuntu and a RHEL lab host,
// against the lab's systemctl unit model (packages/lab/src/systemctl-shim.ts): check mode acts on
// nothing, a real run starts/enables/masks (links checked with OpenSSH), a second run changes nothing.
import { describe, expect, it } from 'vitest';
import { UNIT_STATE_DIR } from '@fleetplay/lab';
import { fleetplay, recap } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const PLAYBOOK = new URL('fixtures/system/systemd.yml', import.meta.url).pathname;
const HOSTS = ['linux-01', 'linux-02'] as const;
const STATE = ['/etc/systemd/system', UNIT_STATE_DIR];
const UNIT = '[Unit]\nDescription=InfiniBand fabric check\n\n[Service]\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target\n';
const lab = useLab({ linux: 2, distros: ['ubuntu22.04', 'rhel8.6'] });
const play = (...extra: string[]) => fleetplay([PLAYBOOK, '-i', lab.inventory, ...extra]);

describe('systemd_service and service_facts over SSH', () => {
  it('--check --diff plans the start, the enable and the mask, and does none of them', async () => {
    for (const h of HOSTS) await lab.sh(h, `sudo mkdir -p /etc/systemd/system && printf '%s' '${UNIT}' | sudo tee /etc/systemd/system/fabric-check.service >/dev/null`);
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play('--check', '--diff');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ changed: 2, failed: 0 });
      expect(await lab.systemctlLog(h)).toEqual([]);
    }
    expect(r.stdout).toContain('"msg": "fabric-check stopped/disabled, rsyslog running/enabled"');
    expect(r.stdout).toMatch(/masked: false → true/);
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
  });

  it('a real run starts, enables and masks, and the facts show it', async () => {
    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('"msg": "fabric-check running/enabled, rsyslog stopped/masked"');
    for (const h of HOSTS) {
      expect(recap(r.stdout)[h]).toMatchObject({ changed: 2, failed: 0 });
      expect(await lab.systemctlLog(h)).toEqual(['daemon-reload', 'enable fabric-check', 'start fabric-check', 'mask rsyslog', 'stop rsyslog']);
      expect(await lab.sh(h, 'readlink /etc/systemd/system/multi-user.target.wants/fabric-check.service /etc/systemd/system/rsyslog.service')).toBe(
        '/etc/systemd/system/fabric-check.service\n/dev/null\n',
      );
      expect(await lab.sh(h, 'systemctl is-enabled rsyslog; systemctl is-active fabric-check; true')).toBe('masked\nactive\n');
      const start = await lab.ssh(h, 'sudo systemctl start rsyslog');
      expect([start.code, start.stderr]).toEqual([1, 'Failed to start rsyslog.service: Unit rsyslog.service is masked.\n']);
    }
  });

  it('a second run changes nothing and writes nothing', async () => {
    const before = await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)));
    const r = await play();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HOSTS) expect(recap(r.stdout)[h]).toMatchObject({ changed: 0, failed: 0 });
    expect(await Promise.all(HOSTS.map((h) => lab.snapshot(h, STATE)))).toEqual(before);
  });

  it('scope: user reaches for a user manager the host does not have, and fails saying so', async () => {
    const pb = await lab.write('user-scope.yml', [{ name: 'user units', hosts: 'linux-01', tasks: [{ systemd_service: { name: 'fabric-check', state: 'started', scope: 'user' } }] }]);
    const r = await fleetplay([pb, '-i', lab.inventory]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Failed to connect to bus: $DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not defined');
  });
});
