// timezone planning on recorded host state (the machine's own zone is never changed here; the lab
// test sets it on lab hosts).
import { describe, expect, it } from 'vitest';
import { planTimezone, timezone, zoneOfLink } from '../../src/modules/timezone.js';

describe('timezone', () => {
  it('reads the zone from the /etc/localtime link', () => {
    expect(zoneOfLink('/usr/share/zoneinfo/Europe/Berlin')).toBe('Europe/Berlin');
    expect(zoneOfLink('../usr/share/zoneinfo/Etc/UTC')).toBe('Etc/UTC');
    expect(zoneOfLink('')).toBeNull();
  });

  it('relinks and rewrites /etc/timezone only where needed', () => {
    const p = planTimezone({ name: 'Europe/Berlin' }, { link: 'Etc/UTC', file: 'Etc/UTC', known: true });
    expect(p.changes).toEqual([{ kind: 'link', zone: 'Europe/Berlin' }, { kind: 'file', zone: 'Europe/Berlin' }]);
    expect(p.diff?.[0]).toEqual({ kind: 'fields', label: 'timezone', fields: [{ key: 'name', before: 'Etc/UTC', after: 'Europe/Berlin' }] });
    expect(planTimezone({ name: 'Etc/UTC' }, { link: 'Etc/UTC', file: null, known: true }).changes).toEqual([]);
    expect(planTimezone({ name: 'Etc/UTC' }, { link: 'Etc/UTC', file: 'UTC', known: true }).changes).toEqual([{ kind: 'file', zone: 'Etc/UTC' }]);
  });

  it('fails clearly on an unknown zone and on hwclock', () => {
    expect(planTimezone({ name: 'Mars/Olympus' }, { link: null, file: null, known: false }).failed).toBe("given timezone 'Mars/Olympus' is not available (no /usr/share/zoneinfo/Mars/Olympus on the host)");
    expect(planTimezone({ name: 'Etc/UTC', hwclock: 'UTC' }, { link: null, file: null, known: true }).failed).toMatch(/hwclock is not supported/);
    expect(timezone.meta.name).toBe('timezone');
  });
});
