// waagent_rdma reads waagent.conf as the agent does, on every file: 10,000 generated files (the stock
// files with tricky lines mixed in: leading spaces, tabs, CRLF, quotes, `#` in values, `None`, case,
// duplicates, `y extra`, unicode spaces) are read by the module's parser and by a Python transcription
// of the agent's (test/support/waagent_reference.py), and must agree. The module's edits are checked
// the same way: after `state: enabled` the agent reads RDMA on, after `state: disabled` off, and a
// second edit changes nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { agentEnablesRdma, RDMA_SWITCHES, rdmaSwitches, setAgentKey } from '../../src/modules/lib/waagent-conf.js';

const FILES = 10_000;
const REFERENCE = fileURLToPath(new URL('../support/waagent_reference.py', import.meta.url));
const stock = readFileSync(new URL('../fixtures/modules/waagent/ubuntu-stock.conf', import.meta.url), 'utf8');

/** mulberry32: a small seeded generator, so a failure names a file that can be generated again. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [...RDMA_SWITCHES, 'OS.EnableRdma', 'OS.EnableRDMA ', 'Extensions.Enabled', 'OS.EnableRDMAX'];
const VALUES = ['y', 'n', 'Y', 'N', 'yes', 'no', 'None', 'none', '', 'y extra', "'y'", '"y"', '"n"', ' y ', 'y\t', '"y" # on', 'y#x', 'n # off', '"Y', 'y"', 'y\r', '\u00a0y', 'y\u2003', '\u0085y', 'y\ufeff', '\x1cy'];
const LEADS = ['', '', '', ' ', '\t', '#', '# ', ' # ', '#\t', '\ufeff'];
const EQUALS = ['=', ' = ', '\t=', '= ', '=='];

function generate(seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const lines = r() < 0.5 ? stock.split('\n') : [];
  const extra = 1 + Math.floor(r() * 6);
  for (let i = 0; i < extra; i++) {
    const line = r() < 0.1 ? pick(['', '#', 'garbage', '=y', '  ', 'OS.EnableRDMA']) : `${pick(LEADS)}${pick(KEYS)}${pick(EQUALS)}${pick(VALUES)}`;
    lines.splice(Math.floor(r() * (lines.length + 1)), 0, line);
  }
  const text = lines.join('\n');
  return r() < 0.15 ? text.replace(/\n/g, '\r\n') : text;
}

interface Reading {
  switches: Record<string, 'y' | 'n' | null>;
  rdma: boolean;
}

function agentReads(files: string[]): Reading[] {
  if (!existsSync('/usr/bin/python3')) throw new Error('python3 is missing: the agent reference needs it (apt-get install python3)');
  return JSON.parse(execFileSync('python3', [REFERENCE], { input: JSON.stringify(files), maxBuffer: 256 * 2 ** 20 }).toString()) as Reading[];
}

function ours(content: string): Reading {
  const read = rdmaSwitches(content);
  return { switches: Object.fromEntries(RDMA_SWITCHES.map((k) => [k, read[k] === undefined ? null : read[k] ? 'y' : 'n'])), rdma: agentEnablesRdma(content) };
}

const enable = (c: string) => setAgentKey(c, { key: 'OS.EnableRDMA', want: 'y' });
const disable = (c: string) => RDMA_SWITCHES.reduce((acc, key) => setAgentKey(acc, { key, want: 'n' }), c);

describe('waagent.conf: the module reads and edits it as the agent does', () => {
  const files = Array.from({ length: FILES }, (_, i) => generate(i + 1));

  it(`agrees with the agent's parser on ${FILES} generated files`, () => {
    const agent = agentReads(files);
    const disagreements = files.map((f, i) => ({ seed: i + 1, f, agent: agent[i]!, ours: ours(f) })).filter((d) => JSON.stringify(d.agent) !== JSON.stringify(d.ours));
    expect(disagreements.slice(0, 3).map((d) => `seed ${d.seed}: agent ${JSON.stringify(d.agent)} module ${JSON.stringify(d.ours)}\n${JSON.stringify(d.f)}`)).toEqual([]);
    // The generator reaches both answers often enough for the agreement to mean something.
    const on = agent.filter((a) => a.rdma).length;
    expect(on).toBeGreaterThan(FILES / 10);
    expect(FILES - on).toBeGreaterThan(FILES / 10);
  });

  it('after enabling, the agent reads RDMA on; after disabling, off; editing again changes nothing', () => {
    const enabled = files.map(enable);
    const disabled = files.map(disable);
    const agent = agentReads([...enabled, ...disabled]);
    const wrongOn = enabled.map((f, i) => ({ seed: i + 1, f })).filter((_, i) => !agent[i]!.rdma || agent[i]!.switches['OS.EnableRDMA'] !== 'y');
    const wrongOff = disabled.map((f, i) => ({ seed: i + 1, f })).filter((_, i) => agent[FILES + i]!.rdma);
    expect(wrongOn.slice(0, 3).map((d) => `seed ${d.seed}: ${JSON.stringify(d.f)}`)).toEqual([]);
    expect(wrongOff.slice(0, 3).map((d) => `seed ${d.seed}: ${JSON.stringify(d.f)}`)).toEqual([]);
    expect(enabled.filter((f) => enable(f) !== f)).toEqual([]);
    expect(disabled.filter((f) => disable(f) !== f)).toEqual([]);
  });
});
