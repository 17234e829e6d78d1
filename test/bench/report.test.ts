import { describe, expect, it } from 'vitest';
import type { Measurement } from '../../bench/measure/run-measured.js';
import { comparisonTable, problemsList, ratioTable, scaleTable, summarize, ttyTable, wanRatioTable } from '../../bench/report.js';
import type { Sample } from '../../bench/run-one.js';
import type { RunKind, ToolName } from '../../bench/tools/tool.js';

function m(wallMs: number, cpuMs = wallMs / 2, extra: Partial<Measurement> = {}): Measurement {
  return { label: 'x', wallMs, cpuMs, userMs: cpuMs, sysMs: 0, mainCpuMs: cpuMs, hostCpuMs: cpuMs * 2, machineCpuMs: cpuMs * 3 + 100, otherCpuMs: 100, maxRssKb: 80 * 1024, treePssPeakKb: 90 * 1024, exitCode: 0, timedOut: false, leftovers: 0, ...extra };
}
function sample(tool: ToolName, kind: RunKind, wallMs: number, problems: string[] = [], n = 50, rep = 1): Sample {
  return { n, rep, tool, kind, m: m(wallMs), problems, log: `/tmp/${tool}-${kind}.log` };
}

describe('bench report', () => {
  const samples = [
    sample('fleetplay', 'first', 4000),
    sample('fleetplay', 'first', 5000, [], 50, 2),
    sample('fleetplay', 'first', 1000, ['linux-03: /etc/waagent.conf differs'], 50, 3),
    sample('ansible', 'first', 70_000),
    sample('ansible', 'first', 64_000, [], 50, 2),
    sample('floor-steps', 'first', 6000),
    sample('floor-script', 'first', 3300),
  ];

  it('medians come from passing runs only; failures are counted beside them', () => {
    const rows = summarize(samples);
    const fp = rows.find((r) => r.tool === 'fleetplay')!;
    expect(fp).toMatchObject({ passed: 2, total: 3, wallMs: [4000, 5000] });
    const table = comparisonTable(rows, 50);
    expect(table).toContain('| fleetplay | first | **4.50 s** (4.00 s–5.00 s) | — | — | 2.25 s | 4.50 s | 80 MB | 90 MB | 0.100 s | 2/3 ⚠ 1 failed |');
    expect(table).toContain('| ansible-playbook (tuned) | first | **67.0 s** (64.0 s–70.0 s) |');
    expect(table.indexOf('fleetplay')).toBeLessThan(table.indexOf('ansible-playbook'));
  });

  it('remote commands and round trips per host beside the times: the median repetition, passing runs only', () => {
    const remote = (commands: number[], roundTrips: number[]) => ({ commands, sftp: commands.map(() => 0), connections: commands.map(() => 1), roundTrips, streams: commands.map(() => 1), dropped: 0 });
    const runs = [
      { ...sample('fleetplay', 'first', 4000), remote: remote([16, 16], [48, 50]) },
      { ...sample('fleetplay', 'first', 4100, [], 50, 2), remote: remote([16, 16], [60, 60]) },
      { ...sample('fleetplay', 'first', 4200, [], 50, 3), remote: remote([16, 16], [40, 42]) },
      { ...sample('fleetplay', 'first', 900, ['exit code 2'], 50, 4), remote: remote([3, 3], [5, 5]) },
      // sessions only (no capture): the round-trip cell stays empty
      { ...sample('ansible', 'first', 64_000), remote: { ...remote([21, 21], []), sftp: [2, 2] } },
    ];
    const table = comparisonTable(summarize(runs), 50);
    expect(table).toContain('| fleetplay | first | **4.10 s** (4.00 s–4.20 s) | 16 | 49 (48–50) |');
    expect(table).toContain('| ansible-playbook (tuned) | first | **64.0 s** | 23 | — |');
  });

  it('WAN rows stay apart from LAN rows; WAN ratios against the first-run goals (≥ 30× Ansible, ≤ 1.2× the one-script floor)', () => {
    const wan = (tool: ToolName, kind: RunKind, wallMs: number) => ({ ...sample(tool, kind, wallMs), profile: 'wan' as const });
    const rows = summarize([...samples, wan('fleetplay', 'first', 3000), wan('ansible', 'first', 120_000), wan('floor-script', 'first', 2700), wan('floor-steps', 'first', 4000), wan('fleetplay', 'check', 2000), wan('ansible', 'check', 40_000)]);
    expect(comparisonTable(rows, 50, true)).toContain('| fleetplay | first | **3.00 s** |');
    expect(comparisonTable(rows, 50, true)).not.toContain('4.50 s');
    expect(comparisonTable(rows, 50)).not.toContain('**3.00 s**');
    const t = wanRatioTable(rows, 50);
    expect(t).toContain('| first | 40.0× | ✓ | 1.11× | ✓ | 0.75× |');
    expect(t).toContain('| check | 20.0× | n/a | — | n/a | — |');
    const slow = wanRatioTable(summarize([wan('fleetplay', 'first', 6000), wan('ansible', 'first', 60_000), wan('floor-script', 'first', 2000)]), 50);
    expect(slow).toContain('| first | 10.0× | ✗ | 3.00× | ✗ | — |');
  });

  it('ratios against the targets: ≥ 10× Ansible, ≤ 1.5× the per-step floor at N=50', () => {
    const table = ratioTable(summarize(samples), 50);
    expect(table).toContain('| first | 14.9× | ✓ | 0.75× | ✓ | 1.36× | 14.9× | 0.75× |');
    const slow = ratioTable(summarize([sample('fleetplay', 'first', 10_000), sample('ansible', 'first', 70_000), sample('floor-steps', 'first', 6000)]), 50);
    expect(slow).toContain('| first | 7.00× | ✗ | 1.67× | ✗ | — |');
    const small = ratioTable(summarize([sample('fleetplay', 'first', 1000, [], 10)]), 10);
    expect(small).toContain('| first | — | — | — | n/a | — |');
  });

  it('scale rows show memory against the goal for the size, the one-script floor beside fleetplay, and the per-host task time spread', () => {
    const s = { ...sample('fleetplay', 'first', 30_000, [], 500), hostTaskMs: [900, 1000, 5000] };
    s.m.maxRssKb = 210 * 1024;
    const floor = sample('floor-script', 'first', 20_000, [], 500);
    const big = sample('fleetplay', 'first', 60_000, [], 1000);
    big.m.maxRssKb = 390 * 1024;
    const table = scaleTable([s, floor, big]);
    expect(table).toContain('| 500 | fleetplay | first | 30.0 s | 1.50× | — | 15.0 s | 30.0 s | 210 MB | ✗ < 200 MB | 0.900 s / 1.00 s / 5.00 s | 0.100 s | yes |');
    expect(table).toContain('| 500 | raw SSH (b) one script | first | 20.0 s | — | — | 10.0 s | 20.0 s | 80 MB | — | — |');
    expect(table).toContain('| 1000 | fleetplay | first | 60.0 s | — | — | 30.0 s | 60.0 s | 390 MB | ✓ < 400 MB |');
  });

  it("renderer cost is the renderer's profiled CPU as a share of the TTY run, with the piped/TTY difference beside it", () => {
    const piped = sample('fleetplay', 'first', 20_000, [], 500);
    const tty = { ...sample('fleetplay', 'first', 21_000, [], 500), tty: true };
    piped.m.mainCpuMs = 9600;
    tty.m.mainCpuMs = 10_000;
    expect(ttyTable([{ n: 500, piped, tty, rendererMs: 120 }])).toContain('| 500 | 0.120 s | 1.2 % | ✓ | 9.60 s / 10.0 s | 4.0 % | 20.0 s / 21.0 s |');
    expect(ttyTable([{ n: 500, piped, tty, rendererMs: 600 }])).toContain('| 500 | 0.600 s | 6.0 % | ✗ |');
    expect(ttyTable([{ n: 500, piped, tty }])).toContain('| 500 | — | — | — | 9.60 s / 10.0 s | 4.0 % |');
  });

  it('lists failed runs with their problems and log', () => {
    expect(problemsList(samples)).toBe('- N=50 fleetplay first rep 3 (1.00 s): linux-03: /etc/waagent.conf differs — log: /tmp/fleetplay-first.log');
    expect(problemsList([samples[0]!])).toBe('Every run passed its correctness checks.');
  });
});
