import { execFile } from 'node:child_process';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { compareStates, parseState, stateScript, type Entry } from '../../bench/state/host-state.js';
import { resetScript } from '../../bench/state/reset.js';
import { freshRoot } from '../support/bench-workload.js';

const sh = promisify(execFile);
const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});

async function state(root: string) {
  const { stdout } = await sh('sh', ['-c', stateScript(join(root, 'etc/waagent.conf'), [join(root, 'var/lib/fleethost')])]);
  return parseState(stdout);
}

describe('bench host state: the state script, its parser and the comparison', () => {
  it('lists the edited file, stray files beside it and the workload directory with modes, owners and contents', async () => {
    const root = await freshRoot();
    roots.push(root);
    await writeFile(join(root, 'etc/waagent.conf.Ab12Cd'), 'half written');
    await writeFile(join(root, 'etc/unrelated'), 'x');
    await mkdir(join(root, 'var/lib/fleethost/ofed'));
    await writeFile(join(root, 'var/lib/fleethost/empty'), '');
    await chmod(join(root, 'var/lib/fleethost/empty'), 0o600);
    const s = await state(root);
    const uid = `${process.getuid!()}:${process.getgid!()}`;
    expect([...s.keys()]).toEqual([
      join(root, 'etc/waagent.conf'),
      join(root, 'etc/waagent.conf.Ab12Cd'),
      join(root, 'var/lib/fleethost'),
      join(root, 'var/lib/fleethost/empty'),
      join(root, 'var/lib/fleethost/ofed'),
    ]);
    expect(s.get(join(root, 'etc/waagent.conf.Ab12Cd'))).toEqual({ type: 'f', mode: '644', owner: uid, content: Buffer.from('half written') });
    expect(s.get(join(root, 'var/lib/fleethost/empty'))).toEqual({ type: 'f', mode: '600', owner: uid, content: Buffer.alloc(0) });
    expect(s.get(join(root, 'var/lib/fleethost/ofed'))).toEqual({ type: 'd', mode: '755', owner: uid });
  });

  it('names every difference: content line, mode, owner, type, missing and extra paths', () => {
    const f = (content: string, mode = '644', owner = '0:0'): Entry => ({ type: 'f', mode, owner, content: Buffer.from(content) });
    const expected = new Map<string, Entry>([
      ['/a', f('one\ntwo\n')],
      ['/b', f('x')],
      ['/c', { type: 'd', mode: '755', owner: '0:0' }],
      ['/d', f('')],
    ]);
    const actual = new Map<string, Entry>([
      ['/a', f('one\nTWO\n', '600', '1:1')],
      ['/b', f('x')],
      ['/c', f('')],
      ['/e', f('')],
    ]);
    expect(compareStates(actual, expected)).toEqual([
      '/a has mode 600, expected 644',
      '/a is owned by 1:1, expected 0:0',
      '/a differs at line 2: "TWO", expected "two"',
      '/c is of type f, expected d',
      '/d is missing',
      '/e should not exist',
    ]);
    expect(compareStates(expected, expected)).toEqual([]);
  });

  it('rejects malformed lines with the line number', () => {
    expect(() => parseState('f\t644\t0:0\t/a\t\nnonsense\n')).toThrow(/line 2 is malformed/);
  });

  it('resets a used host to exactly its fresh state', async () => {
    const root = await freshRoot();
    roots.push(root);
    const fresh = await state(root);
    const conf = join(root, 'etc/waagent.conf');
    await writeFile(conf, 'OS.EnableRDMA=y\n');
    await chmod(conf, 0o600);
    await writeFile(`${conf}.tmp123`, 'x');
    await mkdir(join(root, 'var/lib/fleethost/ofed/deep'), { recursive: true });
    await writeFile(join(root, 'var/lib/fleethost/motd'), 'hello');
    const leftover = join(root, 'home-ansible');
    await mkdir(leftover);
    expect(compareStates(await state(root), fresh).length).toBeGreaterThan(0);
    await sh('sh', ['-c', resetScript(fresh, conf, [join(root, 'var/lib/fleethost')], [leftover])]);
    expect(compareStates(await state(root), fresh)).toEqual([]);
    await expect(sh('test', ['-e', leftover])).rejects.toThrow();
  });
});
