// --shard k/n: which of the selected hosts this controller runs. Each host goes to the shard whose
// weight for it is highest (rendezvous hashing): the choice depends only on the host's name and n,
// never on which other hosts exist, so adding or removing a host moves no other host, and changing n
// from n to n+1 moves only about 1/(n+1) of them (those the new shard wins).
import { createHash } from 'node:crypto';
import { UsageError } from '../engine/contract/diagnostics.js';

export interface Shard {
  /** 1-based: shards 1/3, 2/3 and 3/3 together cover every host once. */
  index: number;
  count: number;
}

/** A scheduler with thousands of workers is plausible; more shards than this is a typo. */
const MAX_SHARDS = 100_000;

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const bad = (why: string) => new UsageError(`--shard '${text}': ${why} (expected k/n with 1 <= k <= n, e.g. --shard 2/3)`);
  if (!m) throw bad('not of the form k/n');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw bad(`n must be between 1 and ${MAX_SHARDS}`);
  if (index < 1 || index > count) throw bad(`k must be between 1 and ${count}`);
  return { index, count };
}

// 64 bits of SHA-256: stable across Node versions, platforms and runs, unlike any runtime hash.
function weight(shard: number, host: string): bigint {
  return createHash('sha256').update(`${shard}\0${host}`).digest().readBigUInt64BE(0);
}

/** The shard (1-based) that runs `host` when the hosts are split `count` ways. */
export function shardOf(host: string, count: number): number {
  let best = 1;
  let bestWeight = -1n;
  for (let i = 1; i <= count; i++) {
    const w = weight(i, host);
    if (w > bestWeight) {
      best = i;
      bestWeight = w;
    }
  }
  return best;
}

/** The hosts of `hosts` that this shard runs, in their given order. */
export function selectShard(hosts: readonly string[], shard: Shard): string[] {
  return hosts.filter((h) => shardOf(h, shard.count) === shard.index);
}
