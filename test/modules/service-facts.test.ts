import { describe, expect, it } from 'vitest';
import { parseServiceFacts } from '../../src/modules/service-facts.js';
import { planService } from '../../src/modules/systemd-service.js';

// Recorded on Ubuntu 22.04 (systemd 249): list-units --type service --all --plain --no-legend, and
// list-unit-files --type service --plain --no-legend.
const UNITS = [
  'cron.service                           loaded    active   running Regular background program processing daemon',
  'apt-daily.service                      loaded    inactive dead    Daily apt download activities',
  'nvidia-persistenced.service            not-found inactive dead    nvidia-persistenced.service',
  'walinuxagent.service                   loaded    failed   failed  Azure Linux Agent',
  'rdma-ndd.service                       masked    inactive dead    rdma-ndd.service',
  '',
].join('\n');
const FILES = [
  'apt-daily.service                          static          -',
  'cron.service                               enabled         enabled',
  'rdma-ndd.service                           masked          enabled',
  'walinuxagent.service                       enabled         enabled',
  'ssh@.service                               static          -',
  'systemd-networkd.service                   disabled        enabled',
  '',
].join('\n');

describe('service_facts parsing (pure)', () => {
  it('takes state from list-units and status from list-unit-files, keeping bad states', () => {
    const s = parseServiceFacts(UNITS, FILES);
    expect(s['cron.service']).toEqual({ name: 'cron.service', state: 'running', status: 'enabled', source: 'systemd' });
    expect(s['apt-daily.service']).toMatchObject({ state: 'stopped', status: 'static' });
    expect(s['nvidia-persistenced.service']).toMatchObject({ state: 'stopped', status: 'not-found' });
    expect(s['walinuxagent.service']).toMatchObject({ state: 'stopped', status: 'failed' });
    expect(s['rdma-ndd.service']).toMatchObject({ state: 'stopped', status: 'masked' });
    expect(s['systemd-networkd.service']).toMatchObject({ state: 'inactive', status: 'disabled' });
    expect(Object.keys(s)).toHaveLength(7);
  });
});

describe('systemd_service masking (pure)', () => {
  const running = { systemctl: true, load: 'loaded', active: 'active', unitFile: 'enabled' };
  const masked = { systemctl: true, load: 'masked', active: 'inactive', unitFile: 'masked' };
  it('masks and unmasks only on change, in the order systemctl needs', () => {
    expect(planService({ name: 'x', masked: true, state: 'stopped' }, running).changes).toEqual(['mask', 'stop']);
    expect(planService({ name: 'x', masked: true }, masked).changes).toEqual([]);
    expect(planService({ name: 'x', masked: false, enabled: true, state: 'started' }, masked).changes).toEqual(['unmask', 'enable', 'start']);
    expect(planService({ name: 'x', daemon_reexec: true }, running).changes).toEqual(['daemon-reexec']);
  });

  it('refuses to start or enable a unit that stays masked; masking a unit with no file is allowed', () => {
    expect(planService({ name: 'x', state: 'started' }, masked).failed).toBe('Unable to start service x: Unit x.service is masked.');
    expect(planService({ name: 'x', masked: true, enabled: true }, running).failed).toBe('Unable to enable service x: it is masked');
    expect(planService({ name: 'x', masked: true }, { systemctl: true, load: 'not-found', active: 'inactive', unitFile: '' }).changes).toEqual(['mask']);
    expect(planService({ name: 'x', state: 'started', scope: 'global' }, running).failed).toMatch(/scope global/);
  });
});
