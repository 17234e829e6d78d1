// timezone (community.general): the system time zone as /etc/localtime (a symlink into
// /usr/share/zoneinfo, replaced atomically: new link + rename) and, where the host keeps one (Debian
// family), /etc/timezone. That is what timedatectl writes; it needs no running systemd.
import Type, { type Static } from 'typebox';
import type { DiffItem, Module, Plan } from '../engine/contract/module.js';
import { shQuote } from '../engine/connection/quote.js';

const schema = Type.Object(
  {
    name: Type.String({ description: 'The zone, e.g. Etc/UTC or Europe/Berlin (a file under /usr/share/zoneinfo).' }),
    hwclock: Type.Optional(Type.Union([Type.Literal('UTC'), Type.Literal('local')], { description: 'Not supported: fleetplay does not set the hardware clock mode (the task fails when given).' })),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  /** The zone /etc/localtime points at; null when it is no link into zoneinfo. */
  link: string | null;
  /** /etc/timezone's zone; null when the file is missing (then it is not written). */
  file: string | null;
  known: boolean;
}

type Change = { kind: 'link'; zone: string } | { kind: 'file'; zone: string };

const ZONEINFO = '/usr/share/zoneinfo/';

/** The zone of a /etc/localtime link target. */
export function zoneOfLink(target: string): string | null {
  const at = target.indexOf('zoneinfo/');
  return at < 0 ? null : target.slice(at + 'zoneinfo/'.length);
}

export function planTimezone(args: Args, cur: Current): Plan<Change> {
  if (args.hwclock !== undefined) return { changes: [], failed: 'hwclock is not supported by fleetplay; leave it out' };
  const zone = args.name.trim();
  if (!/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(zone) || !cur.known) return { changes: [], failed: `given timezone '${zone}' is not available (no ${ZONEINFO}${zone} on the host)` };
  const changes: Change[] = [];
  const diff: DiffItem[] = [];
  if (cur.link !== zone) changes.push({ kind: 'link', zone });
  if (cur.file !== null && cur.file !== zone) {
    changes.push({ kind: 'file', zone });
    diff.push({ kind: 'text', path: '/etc/timezone', before: `${cur.file}\n`, after: `${zone}\n` });
  }
  const before = cur.link ?? cur.file ?? 'unknown';
  if (changes.length) diff.unshift({ kind: 'fields', label: 'timezone', fields: [{ key: 'name', before, after: zone }] });
  const result = { name: zone };
  if (changes.length === 0) return { changes, reason: `the time zone is already ${zone}`, result };
  return { changes, diff, reason: `set the time zone from ${before} to ${zone}`, result };
}

export const timezone: Module<Args, Current, Change> = {
  meta: {
    name: 'timezone',
    collections: ['community.general'],
    description: 'Set the system time zone (/etc/localtime, and /etc/timezone where the host has one).',
    platforms: ['linux'],
    checkMode: 'full',
    example: 'timezone:\n  name: Etc/UTC',
    notes: ['hwclock is not supported. Running programs keep the zone they read at start; restart them (or reboot) to pick it up.'],
    returns: { name: 'The time zone now set.' },
  },
  schema,
  async read(ctx, args) {
    const z = shQuote(ZONEINFO + args.name.trim());
    const r = await ctx.run(`readlink /etc/localtime || true; echo ---; cat /etc/timezone 2>/dev/null || echo '<none>'; echo ---; [ -f ${z} ] && echo known || echo unknown`);
    const [link = '', file = '', known = ''] = r.stdout.split('---\n');
    const f = file.trim();
    return { link: zoneOfLink(link.trim()), file: f === '<none>' ? null : f, known: known.trim() === 'known' };
  },
  plan: planTimezone,
  async apply(ctx, plan) {
    for (const c of plan.changes) {
      if (c.kind === 'file') await ctx.writeFile('/etc/timezone', `${c.zone}\n`, { mode: 0o644 });
      else {
        const tmp = `/etc/.localtime.fleetplay.${process.pid}`;
        const r = await ctx.run(`ln -sfn ${shQuote(ZONEINFO + c.zone)} ${shQuote(tmp)} && mv -Tf ${shQuote(tmp)} /etc/localtime`);
        if (r.rc !== 0) return { failed: `cannot link /etc/localtime: ${r.stderr.trim()}` };
      }
    }
    return { result: plan.result };
  },
};
