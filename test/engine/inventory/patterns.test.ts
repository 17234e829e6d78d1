import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/engine/contract/diagnostics.js';
import type { Inventory } from '../../../src/engine/contract/inventory.js';
import { loadInventory, splitPattern } from '../../../src/engine/inventory/index.js';
import { fixture } from '../../support/inventory-fixtures.js';

const WEB = ['web01', 'web02', 'web03', 'web04'];
const DB = ['db-a.example', 'db-b.example', 'db-c.example'];

describe('host patterns', () => {
  let inv: Inventory;
  beforeAll(async () => {
    inv = await loadInventory([fixture('ini/hosts.ini')]);
  });

  it('all and * give every host in inventory order, without the implicit localhost', () => {
    expect(inv.select('all')).toEqual(['bastion', ...WEB, ...DB, 'gpu0', 'gpu5', 'gpu10']);
    expect(inv.select('*')).toEqual(inv.select('all'));
    expect(inv.select('all')).not.toContain('localhost');
  });

  it('matches group and host names, and globs against both', () => {
    expect(inv.select('web')).toEqual(WEB);
    expect(inv.select('web02')).toEqual(['web02']);
    expect(inv.select('web0[!24]')).toEqual(['web01', 'web03']);
    expect(inv.select('gpu?')).toEqual(['gpu0', 'gpu5']);
    expect(inv.select('*.example')).toEqual(DB);
    expect(inv.select('nosuch')).toEqual([]);
  });

  it('unions with : or , in term order, without duplicates', () => {
    expect(inv.select('db:web')).toEqual([...DB, ...WEB]);
    expect(inv.select('web,db-a.example, web01')).toEqual([...WEB, 'db-a.example']);
  });

  it('intersects with :& and excludes with :!, whatever the term order', () => {
    expect(inv.select('linux:&web')).toEqual(WEB);
    expect(inv.select('linux:!web')).toEqual(DB);
    expect(inv.select('!web:linux')).toEqual(DB);
    expect(inv.select('!linux')).toEqual(['bastion', 'gpu0', 'gpu5', 'gpu10']);
    expect(inv.select('&web')).toEqual(WEB);
    expect(inv.select('linux:&web:!web0[!34]')).toEqual(['web03', 'web04']);
  });

  it('applies subscripts to a term: index, negative index and inclusive ranges', () => {
    expect(inv.select('web[0]')).toEqual(['web01']);
    expect(inv.select('web[-1]')).toEqual(['web04']);
    expect(inv.select('web[1:2]')).toEqual(['web02', 'web03']);
    expect(inv.select('web[2:]')).toEqual(['web03', 'web04']);
    expect(inv.select('web[9]')).toEqual([]);
    expect(inv.select('linux:!linux[0:5]')).toEqual(['db-c.example']);
  });

  it('matches ~regex from the start of the name, like Python re.match', () => {
    expect(inv.select('~db-[ab]')).toEqual(['db-a.example', 'db-b.example']);
    expect(inv.select('~example')).toEqual([]);
    expect(inv.select('~.*example$')).toEqual(DB);
    expect(inv.select('~(web|gpu)0')).toEqual([...WEB, 'gpu0']);
    expect(() => inv.select('~web(')).toThrow(InvalidInputError);
  });

  it('makes up the implicit localhost with ansible_connection=local', () => {
    expect(inv.select('localhost')).toEqual(['localhost']);
    expect(inv.select('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(inv.hostVars('localhost')).toEqual({ ntp_server: 'time.example', ansible_connection: 'local' });
    expect(inv.groupNames('localhost')).toEqual([]);
    expect(inv.groupsMap().all).not.toContain('localhost');
  });

  it('splits patterns like Ansible', () => {
    expect(splitPattern('a:b:&c:!d')).toEqual(['a', 'b', '&c', '!d']);
    expect(splitPattern('web[0:2]:db')).toEqual(['web[0:2]', 'db']);
    expect(splitPattern('2001:db8::1')).toEqual(['2001:db8::1']);
    expect(splitPattern(' a , b ')).toEqual(['a', 'b']);
  });
});
