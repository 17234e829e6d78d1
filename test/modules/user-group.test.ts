// user and group planning on recorded getent output (the machine's own accounts are never changed
// here; the lab test runs them for real).
import { describe, expect, it } from 'vitest';
import { parseAccounts, parseGroupLines, parsePasswdLine, shadowHash } from '../../src/modules/lib/account-db.js';
import { group, planGroup } from '../../src/modules/group.js';
import { planUser, user } from '../../src/modules/user.js';

const MARK = '--fleetplay--\n';
const GROUPS = 'root:x:0:\nsudo:x:27:alice\nhpc:x:2001:alice,bob\nalice:x:1000:\nvideo:x:44:\n';
const HASH = '$6$salt$abcdefghijklmnopqrstuvwxyz';
const recorded = (pw: string, shadow?: string) => parseAccounts(`${pw}${MARK}${GROUPS}${MARK}${shadow !== undefined ? `${shadow}\n${MARK}shadow=ok\n` : MARK}`);
const alice = 'alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n';

describe('account database parsers', () => {
  it('reads passwd, group and shadow lines', () => {
    expect(parsePasswdLine(alice)).toEqual({ name: 'alice', uid: 1000, gid: 1000, comment: 'Alice,,,', home: '/home/alice', shell: '/bin/bash' });
    expect(parsePasswdLine('garbage')).toBeUndefined();
    expect(parseGroupLines(GROUPS)[2]).toEqual({ name: 'hpc', gid: 2001, members: ['alice', 'bob'] });
    expect(parseGroupLines('#c\nbad\n')).toEqual([]);
    expect(shadowHash(`alice:${HASH}:19000:0:99999:7:::`)).toBe(HASH);
  });

  it('tells a missing user and an unreadable shadow apart', () => {
    expect(recorded('')).toMatchObject({ user: undefined, shadowReadable: false });
    expect(recorded(alice, `alice:${HASH}:1:::::`)).toMatchObject({ hash: HASH, shadowReadable: true });
  });
});

describe('group planning', () => {
  it('creates, changes the gid, removes, and is ok when right', () => {
    const cur = recorded('');
    expect(planGroup({ name: 'fabric', gid: 3000, system: true }, cur).changes).toEqual([{ argv: ['groupadd', '-g', '3000', '-r', 'fabric'] }]);
    expect(planGroup({ name: 'hpc', gid: '2002' }, cur).changes).toEqual([{ argv: ['groupmod', '-g', '2002', 'hpc'] }]);
    expect(planGroup({ name: 'hpc', state: 'absent' }, cur).changes).toEqual([{ argv: ['groupdel', 'hpc'] }]);
    expect(planGroup({ name: 'hpc', gid: 2001 }, cur)).toMatchObject({ changes: [], result: { name: 'hpc', gid: 2001, state: 'present' } });
    expect(planGroup({ name: 'nope', state: 'absent' }, cur).changes).toEqual([]);
  });

  it('refuses a taken gid, a bad gid and a bad name', () => {
    const cur = recorded('');
    expect(planGroup({ name: 'x', gid: 27 }, cur).failed).toBe('gid 27 is already used by group sudo (set non_unique to allow it)');
    expect(planGroup({ name: 'x', gid: 'ten' }, cur).failed).toBe("gid must be a non-negative integer, got 'ten'");
    expect(planGroup({ name: 'a b' }, cur).failed).toBe("invalid group name 'a b'");
    expect(group.meta.name).toBe('group');
  });
});

describe('user planning', () => {
  it('creates a user with Ansible-named options and the hash through chpasswd, never in argv or diff', () => {
    const p = planUser({ name: 'carol', uid: 2005, group: 'hpc', groups: 'video,sudo', shell: '/bin/bash', comment: 'Carol', password: HASH }, recorded(''));
    expect(p.changes.map((c) => c.argv)).toEqual([
      ['useradd', '-u', '2005', '-g', '2001', '-G', 'video,sudo', '-s', '/bin/bash', '-c', 'Carol', '-m', 'carol'],
      ['chpasswd', '-e'],
    ]);
    expect(p.changes[1]!.secret?.toString()).toBe(`carol:${HASH}`);
    expect(JSON.stringify([p.diff, p.result, p.reason])).not.toContain(HASH);
    expect(p.result?.password).toBe('NOT_LOGGING_PASSWORD');
  });

  it('changes only what differs; groups exact unless append', () => {
    const cur = recorded(alice, `alice:${HASH}:1:::::`);
    expect(planUser({ name: 'alice', shell: '/bin/bash', groups: ['sudo', 'hpc'], password: HASH }, cur).changes).toEqual([]);
    expect(planUser({ name: 'alice', groups: ['hpc'] }, cur).changes[0]!.argv).toEqual(['usermod', '-G', 'hpc', 'alice']);
    expect(planUser({ name: 'alice', groups: ['video'], append: true }, cur).changes[0]!.argv).toEqual(['usermod', '-a', '-G', 'video', 'alice']);
    expect(planUser({ name: 'alice', groups: ['hpc'], append: true }, cur).changes).toEqual([]);
    expect(planUser({ name: 'alice', uid: 1001, home: '/srv/alice', move_home: true }, cur).changes[0]!.argv).toEqual(['usermod', '-u', '1001', '-d', '/srv/alice', '-m', 'alice']);
    const pw = planUser({ name: 'alice', password: '$6$other$x' }, cur);
    expect(pw.changes.map((c) => c.argv)).toEqual([['chpasswd', '-e']]);
    expect(pw.diff).toEqual([{ kind: 'fields', label: 'user alice', fields: [{ key: 'password', before: '(hidden)', after: '(changed, hidden)' }] }]);
    expect(planUser({ name: 'alice', password: '$6$other$x', update_password: 'on_create' }, cur).changes).toEqual([]);
  });

  it('removes with -r/-f; fails clearly on missing groups and an unreadable shadow', () => {
    const cur = recorded(alice);
    expect(planUser({ name: 'alice', state: 'absent', remove: true }, cur).changes[0]!.argv).toEqual(['userdel', '-r', 'alice']);
    expect(planUser({ name: 'ghost', state: 'absent' }, recorded('')).changes).toEqual([]);
    expect(planUser({ name: 'alice', groups: ['nope'] }, cur).failed).toBe('Group nope does not exist');
    expect(planUser({ name: 'alice', group: 'nope' }, cur).failed).toBe('Group nope does not exist');
    expect(planUser({ name: 'alice', password: HASH }, cur).failed).toMatch(/cannot read the shadow entry of alice/);
    expect(user.meta.name).toBe('user');
  });

  it('in check mode a new user whose group an earlier task would create is "would create", with a warning', () => {
    const p = planUser({ name: 'dave', group: 'newgrp' }, recorded(''), { checkMode: true });
    expect([p.failed, p.changes.length, p.warnings]).toEqual([undefined, 1, ['Group newgrp does not exist yet; creating user dave needs it']]);
    expect(planUser({ name: 'alice', group: 'newgrp' }, recorded(alice), { checkMode: true }).failed).toBe('Group newgrp does not exist');
  });
});
