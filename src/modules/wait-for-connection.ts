// wait_for_connection: waits until the host can be reached again and runs a command (Ansible runs its
// ping module; here a plain echo over the host's shell). Each attempt drops and re-opens the host's
// connection. It connects on its own (meta.connect: lazy), so a host that is down when the task starts
// is what it waits for, not an unreachable host. Runs in check mode too, as Ansible's does: it
// changes nothing.
import Type, { type Static } from 'typebox';
import type { Module } from '../engine/contract/module.js';
import { pause, waitForHost } from './lib/host-wait.js';

const int = (description: string) => Type.Optional(Type.Integer({ minimum: 0, description }));
const schema = Type.Object(
  {
    delay: int('Seconds to wait before the first attempt (default 0).'),
    sleep: int('The longest pause between attempts, in seconds (default 1).'),
    timeout: int('Seconds to wait in all (default 600).'),
    connect_timeout: int('Seconds each connection attempt may take (default 5).'),
  },
  { additionalProperties: false },
);
type Args = Static<typeof schema>;

interface Current {
  elapsed: number;
  error?: string;
}

export const waitForConnection: Module<Args, Current, never> = {
  meta: {
    name: 'wait_for_connection',
    description: 'Wait until the host is reachable again and answers a command (after a reboot or a network change).',
    platforms: ['linux', 'windows'],
    checkMode: 'full',
    connect: 'lazy',
    example: 'wait_for_connection:\n  delay: 10\n  timeout: 300',
    returns: { elapsed: 'Seconds it took.' },
  },
  schema,
  async read(ctx, args) {
    const started = Date.now();
    const timeoutMs = (args.timeout ?? 600) * 1000;
    await pause(ctx, (args.delay ?? 0) * 1000);
    const got = await waitForHost(ctx, {
      deadline: started + timeoutMs,
      connectTimeoutMs: (args.connect_timeout ?? 5) * 1000,
      sleepMs: Math.max(1, args.sleep ?? 1) * 1000,
      probe: async (h) => {
        const r = await h.run(h.shell === 'powershell' ? "'pong'" : 'echo pong');
        return r.rc === 0 && r.stdout.trim() === 'pong' ? true : `the host answered rc ${r.rc}: ${r.stderr.trim()}`;
      },
    });
    const elapsed = Math.round((Date.now() - started) / 1000);
    return got.ok ? { elapsed } : { elapsed, error: `timed out waiting for ping module test (timeout=${timeoutMs / 1000}): ${got.lastError}` };
  },
  plan(_args, cur) {
    if (cur.error) return { changes: [], failed: cur.error, result: { elapsed: cur.elapsed } };
    return { changes: [], reason: `connected after ${cur.elapsed} s`, result: { elapsed: cur.elapsed } };
  },
  async apply() {
    return { changed: false };
  },
  // Elapsed seconds differ between two reads of the same host.
  planState: (cur) => ({ reached: cur.error === undefined }),
};
