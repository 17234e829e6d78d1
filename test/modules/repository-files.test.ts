// The repository modules' file texts: deb822 .sources (with an embedded key) and .repo sections
// replaced in place among others.
import { describe, expect, it } from 'vitest';
import { deb822Path, deb822Repository, deb822Text } from '../../src/modules/deb822-repository.js';
import { splitSections, withSection, yumRepository, yumSection } from '../../src/modules/yum-repository.js';

const planCtx = {} as never;

describe('deb822_repository', () => {
  it('writes the deb822 fields apt reads, a keyring path or an embedded armored key', () => {
    expect(deb822Text({ name: 'lab', uris: 'http://m/apt', suites: ['jammy'], components: 'main', signed_by: '/usr/share/keyrings/k.gpg' })).toBe(
      'X-Repolib-Name: lab\nTypes: deb\nURIs: http://m/apt\nSuites: jammy\nComponents: main\nSigned-By: /usr/share/keyrings/k.gpg\n',
    );
    const key = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBG\n-----END PGP PUBLIC KEY BLOCK-----';
    expect(deb822Text({ name: 'k', uris: ['u'], suites: 's/', signed_by: key, enabled: false })).toBe(
      'X-Repolib-Name: k\nTypes: deb\nURIs: u\nSuites: s/\nEnabled: no\nSigned-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n mQENBG\n -----END PGP PUBLIC KEY BLOCK-----\n',
    );
    expect(deb822Path({ name: 'My Repo' })).toBe('/etc/apt/sources.list.d/My-Repo.sources');
  });

  it('plans a write, nothing when the file matches, a removal for absent', () => {
    const args = { name: 'lab', uris: 'http://m/apt', suites: 'jammy' };
    const path = deb822Path(args);
    expect(deb822Repository.plan(args, { path }, planCtx).changes).toEqual([{ kind: 'write', path, text: deb822Text(args), mode: 0o644 }]);
    expect(deb822Repository.plan(args, { path, text: deb822Text(args) }, planCtx).changes).toEqual([]);
    expect(deb822Repository.plan({ ...args, state: 'absent' }, { path, text: 'x' }, planCtx).changes).toEqual([{ kind: 'remove', path }]);
    expect(deb822Repository.plan({ name: 'lab' }, { path }, planCtx).failed).toMatch(/uris and suites are required/);
  });
});

describe('yum_repository', () => {
  const args = { name: 'lab', description: 'lab packages', baseurl: 'http://m/el8/', gpgcheck: true, gpgkey: 'file:///k' };
  it('writes a section with sorted keys and 1/0 flags', () => {
    expect(yumSection(args)).toBe('[lab]\nbaseurl = http://m/el8/\nenabled = 1\ngpgcheck = 1\ngpgkey = file:///k\nname = lab packages\n');
  });

  it('replaces its own section in place and keeps the others; removing the last removes the file', () => {
    const file = '# local repos\n[a]\nname=a\nbaseurl=x\n\n[lab]\nname=old\n\n[b]\nname=b\n';
    const next = withSection(file, 'lab', yumSection(args))!;
    expect(splitSections(next).sections.map((s) => s.id)).toEqual(['a', 'lab', 'b']);
    expect(next).toContain('[a]\nname=a\nbaseurl=x\n\n[lab]\nbaseurl = http://m/el8/');
    expect(withSection(next, 'lab', yumSection(args))).toBe(next);
    expect(withSection('[lab]\nname=x\n', 'lab', undefined)).toBeUndefined();
    expect(withSection(undefined, 'lab', yumSection(args))).toBe(yumSection(args));
  });

  it('plans nothing for a file already holding the section', () => {
    const path = '/etc/yum.repos.d/lab.repo';
    expect(yumRepository.plan(args, { path, text: yumSection(args) }, planCtx).changes).toEqual([]);
    expect(yumRepository.plan({ name: 'lab' }, { path }, planCtx).failed).toMatch(/baseurl, mirrorlist or metalink/);
  });
});
