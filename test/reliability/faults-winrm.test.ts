// WinRM faults at the playbook level, through the real CLI, on two lab Hyper-V hosts of which one
// goes wrong while the run is under way: HTTP 500s, a SOAP fault, a stall in the middle of Receive,
// a host that stops answering altogether, and a WinRM service or listener restart. The faulty host
// is reported failed or unreachable with the server's reason within the inventory's WinRM timeouts,
// the other host finishes, the recap and exit code say so, and the run never hangs.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { FaultSettings } from '@fleetplay/lab/windows';
import { recap } from '../support/cli.js';
import { startFleetplay, type FaultRunResult } from '../support/fault-cli.js';
import { waitUntil } from '../support/wait-until.js';
import { startWindowsFaultFleet, WINRM_TIMEOUTS, type FaultHostSpec, type WindowsFaultFleet } from '../support/windows-fault-hosts.js';

const READ_TIMEOUT_MS = WINRM_TIMEOUTS.ansible_winrm_read_timeout_sec * 1000;
const SLEEP_S = 2;
const DEADLINE_MS = 90_000;
const MARKER = "'C:\\fault-running.txt'";

const playbook = (script = "'after on ' + $env:COMPUTERNAME") => [
  {
    name: 'two Hyper-V hosts, one faulty',
    hosts: 'hyperv',
    gather_facts: false,
    tasks: [
      { name: 'reach', win_ping: {} },
      // The lab host runs a script at once and shows its output after the (virtual) sleep: the marker
      // file is there from the moment the command starts, one line per run.
      { name: 'slow step', win_powershell: { script: `Add-Content -Path ${MARKER} -Value 'running'; Start-Sleep -Seconds ${SLEEP_S}; 'slept on ' + $env:COMPUTERNAME` } },
      { name: 'after', win_powershell: { script } },
    ],
  },
];

interface TaskOutcome {
  host: string;
  status: string;
  durationMs: number;
  data?: { output?: unknown[] };
}
interface Report {
  plays: { tasks: { name: string; results: TaskOutcome[] }[] }[];
}

let fleet: WindowsFaultFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

interface FaultyRun extends FaultRunResult {
  /** From the fault to the end of the run. */
  sinceFaultMs: number;
  /** What the JSON report says `host` did in `task`. */
  outcome(task: string, host: string): TaskOutcome | undefined;
}

/**
 * Runs the plays on hv-good and hv-bad; `during` acts on hv-bad as soon as the slow step's command
 * has started on `trigger` (it is then in flight for SLEEP_S).
 */
async function faultyRun(
  specs: FaultHostSpec[],
  during: (bad: ReturnType<WindowsFaultFleet['host']>) => void,
  plays: object[] = playbook(),
  trigger = 'hv-bad',
): Promise<FaultyRun> {
  fleet = await startWindowsFaultFleet(specs);
  const pb = join(fleet.dir, 'play.yml');
  const json = join(fleet.dir, 'report.json');
  await writeFile(pb, stringify(plays));
  const run = startFleetplay([pb, '-i', fleet.inventory, '--json', json], { deadlineMs: DEADLINE_MS });
  const bad = fleet.host('hv-bad');
  const started = () => Object.keys(fleet!.host(trigger).state().files).some((k) => k.endsWith('fault-running.txt'));
  let ended = false;
  void run.done.then(
    () => (ended = true),
    () => (ended = true),
  );
  await waitUntil(() => ended || started(), 60_000, `the slow step to start on ${trigger}`);
  during(bad);
  const faultAt = Date.now();
  const r = await run.done;
  const sinceFaultMs = Date.now() - faultAt;
  expect(r.killed, `fleetplay hung:\n${r.stdout}`).toBe(false);
  expect(await run.leftovers()).toEqual([]);
  const report = JSON.parse(await readFile(json, 'utf8')) as Report;
  return { ...r, sinceFaultMs, outcome: (task, host) => report.plays[0]!.tasks.find((t) => t.name === task)?.results.find((x) => x.host === host) };
}

/** Size of the slow step's marker file on a host: it grows by one line per run of the command. */
const markerSize = (host: string): number | undefined => {
  const entry = Object.entries(fleet!.host(host).state().files).find(([k]) => k.endsWith('fault-running.txt'))?.[1];
  return entry?.type === 'file' ? entry.size : undefined;
};

const HOSTS: FaultHostSpec[] = [{ name: 'hv-good' }, { name: 'hv-bad' }];
const GOOD_FINISHED = { ok: 3, changed: 2, failed: 0, unreachable: 0 };
const fault = (f: FaultSettings) => (bad: { setFaults(f: FaultSettings): void }) => bad.setFaults(f);

describe('a WinRM host that goes wrong mid-run', { timeout: 150_000 }, () => {
  it('answers HTTP 500: unreachable with the status; the other host finishes; exit 4', async () => {
    const r = await faultyRun(HOSTS, fault({ http500Rate: 1 }));
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(recap(r.stdout)).toEqual({
      'hv-good': expect.objectContaining(GOOD_FINISHED),
      'hv-bad': expect.objectContaining({ ok: 1, changed: 0, failed: 0, unreachable: 1 }),
    });
    expect(r.stdout).toMatch(/fatal: \[hv-bad\]: UNREACHABLE! => \{"changed": false, "msg": "WinRM http:\/\/127\.0\.0\.1:\d+\/wsman: unexpected HTTP 500/);
    expect(r.stdout.match(/fatal: \[hv-bad\]/g)).toHaveLength(1);
    expect(r.outcome('slow step', 'hv-good')?.data?.output).toEqual(['slept on HV-GOOD']);
  });

  it('stalls in the middle of Receive: unreachable after the read timeout, not later; exit 4', async () => {
    const r = await faultyRun(HOSTS, fault({ stallReceiveAfterMs: 0 }));
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(recap(r.stdout)).toEqual({
      'hv-good': expect.objectContaining(GOOD_FINISHED),
      'hv-bad': expect.objectContaining({ ok: 1, failed: 0, unreachable: 1 }),
    });
    expect(r.stdout).toMatch(/fatal: \[hv-bad\]: UNREACHABLE! => \{"changed": false, "msg": "WinRM [^"]*: 127\.0\.0\.1:\d+ did not answer within 3s \(read timeout\)"/);
    const slow = r.outcome('slow step', 'hv-bad')!;
    expect(slow.status).toBe('unreachable');
    // The command's own time, then one read timeout; a margin for a loaded machine.
    expect(slow.durationMs).toBeLessThan(SLEEP_S * 1000 + READ_TIMEOUT_MS + 3000);
    expect(r.sinceFaultMs).toBeLessThan(SLEEP_S * 1000 + READ_TIMEOUT_MS + 4000);
  });

  it('stops answering altogether: unreachable within the read timeout; the run still ends promptly; exit 4', async () => {
    const r = await faultyRun(HOSTS, fault({ stallAllAfterMs: 0 }));
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(recap(r.stdout)).toEqual({
      'hv-good': expect.objectContaining(GOOD_FINISHED),
      'hv-bad': expect.objectContaining({ ok: 1, failed: 0, unreachable: 1 }),
    });
    expect(r.stdout).toMatch(/fatal: \[hv-bad\]: UNREACHABLE! .*did not answer within 3s \(read timeout\)/);
    expect(r.outcome('slow step', 'hv-bad')!.durationMs).toBeLessThan(SLEEP_S * 1000 + READ_TIMEOUT_MS + 3000);
    // Closing the session to a silent host does not wait on it either: the whole run ends in that time.
    expect(r.sinceFaultMs).toBeLessThan(SLEEP_S * 1000 + READ_TIMEOUT_MS + 4000);
  });

  it('drops every connection: unreachable with the reason; exit 4', async () => {
    const r = await faultyRun(HOSTS, fault({ dropConnectionRate: 1 }));
    expect(r.code, r.stdout + r.stderr).toBe(4);
    expect(recap(r.stdout)).toEqual({
      'hv-good': expect.objectContaining(GOOD_FINISHED),
      'hv-bad': expect.objectContaining({ ok: 1, failed: 0, unreachable: 1 }),
    });
    expect(r.stdout).toMatch(/fatal: \[hv-bad\]: UNREACHABLE! .*socket hang up|fatal: \[hv-bad\]: UNREACHABLE! .*connection reset/);
  });

  it('answers with a SOAP fault (envelope over its MaxEnvelopeSize): the task fails with the fault text; exit 2', async () => {
    // A script over ~8 K characters goes to the host over stdin in Send envelopes of up to 150 KB:
    // more than this host's 32 KB limit. The good host, with Windows' default 500 KB, takes them.
    const long = `${"$null = 'padding to make the script long'\n".repeat(2500)}'long script on ' + $env:COMPUTERNAME`;
    const r = await faultyRun([{ name: 'hv-good' }, { name: 'hv-bad', config: { maxEnvelopeSizeKb: 32 } }], () => undefined, playbook(long), 'hv-good');
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(recap(r.stdout)).toEqual({
      'hv-good': expect.objectContaining(GOOD_FINISHED),
      'hv-bad': expect.objectContaining({ ok: 2, changed: 1, failed: 1, unreachable: 0 }),
    });
    expect(r.stdout).toMatch(
      /fatal: \[hv-bad\]: FAILED! => \{"changed": false, "msg": "win_powershell: WinRM \([^)]*\): The WS-Management service cannot process the request because the request size \(\d+ bytes\) exceeded the configured MaxEnvelopeSize quota \(32768 bytes\)\. \[WSManFault 2150859025\]"/,
    );
    expect(r.outcome('after', 'hv-good')?.data?.output).toEqual(['long script on HV-GOOD']);
  });
});

describe('a WinRM host whose service restarts mid-run', { timeout: 150_000 }, () => {
  it('WinRM service restart while a command runs: that command fails with the fault text (it is not run twice); exit 2', async () => {
    const r = await faultyRun(HOSTS, (bad) => bad.dropShells());
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(recap(r.stdout)).toEqual({ 'hv-good': expect.objectContaining(GOOD_FINISHED), 'hv-bad': expect.objectContaining({ ok: 1, failed: 1, unreachable: 0 }) });
    expect(r.stdout).toMatch(/fatal: \[hv-bad\]: FAILED! => \{"changed": false, "msg": "win_powershell: WinRM \([^)]*\): The request for the Windows Remote Shell with ShellId [0-9A-F-]+ failed because the shell was not found on the server\..*\[WSManFault 2150858843\]"/);
    // Ran once, like on the good host: a command whose outcome is unknown is not sent again.
    expect(markerSize('hv-good')).toBeGreaterThan(0);
    expect(markerSize('hv-bad')).toBe(markerSize('hv-good'));
  });

  it('WinRM service restart between tasks: the next command opens a new shell and the run completes; exit 0', async () => {
    // hv-bad sits idle (skipped) while hv-good sleeps: its shell is forgotten in that window.
    const plays = playbook();
    (plays[0]!.tasks[1] as Record<string, unknown>).when = "inventory_hostname == 'hv-good'";
    const r = await faultyRun(HOSTS, (bad) => bad.dropShells(), plays, 'hv-good');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout)).toEqual({
      'hv-good': expect.objectContaining(GOOD_FINISHED),
      'hv-bad': expect.objectContaining({ ok: 2, changed: 1, skipped: 1, failed: 0, unreachable: 0 }),
    });
    expect(r.outcome('after', 'hv-bad')?.data?.output).toEqual(['after on HV-BAD']);
    // The window was real: hv-bad's next command came after hv-good's sleep, well after the restart.
    expect(r.outcome('slow step', 'hv-good')!.durationMs).toBeGreaterThanOrEqual(SLEEP_S * 1000);
  });

  it('listener restart while a command runs (every connection closed): the client reconnects and the run completes; exit 0', async () => {
    const r = await faultyRun(HOSTS, (bad) => bad.dropConnections());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(recap(r.stdout)).toEqual({ 'hv-good': expect.objectContaining(GOOD_FINISHED), 'hv-bad': expect.objectContaining(GOOD_FINISHED) });
    expect(r.outcome('slow step', 'hv-bad')?.data?.output).toEqual(['slept on HV-BAD']);
    // The command ran once: the reconnect picked up its output, it did not start it again.
    expect(markerSize('hv-good')).toBeGreaterThan(0);
    expect(markerSize('hv-bad')).toBe(markerSize('hv-good'));
  });
});
