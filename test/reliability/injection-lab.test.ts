// The injection table of injection.integration.test.ts over SSH, against a lab host (a real sshd in its own
// namespaces): the same arguments and payloads, the transport's own quoting in between.
import { describe, expect, it } from 'vitest';
import { connectionSpecFromVars, createConnectionFactory } from '../../src/engine/connection/factory.js';
import { loadInventory } from '../../src/engine/inventory/index.js';
import { useLab } from '../support/lab.js';
import { runInjectionTable } from '../support/injection-runner.js';
import { INJECTION_CASES } from '../support/injection-table.js';

const HOST = 'linux-01';
// A spread of the payloads (quote breaking, substitution, newline, redirection, glob, leading dash,
// typographic quotes, PowerShell): every quoting path is shared with the local run, which tries all;
// here the point is the transport, and each SSH round trip costs.
const LAB_PAYLOADS = [0, 1, 3, 4, 5, 9, 10, 11, 16, 17];
const lab = useLab({ linux: 1, distros: ['ubuntu22.04'] });

describe('injection through module arguments (SSH, lab)', () => {
  it('every argument × every payload: no canary, values arrive literally', async () => {
    const vars = (await loadInventory([lab.inventory])).hostVars(HOST);
    const base = '/var/lib/fleethost/inject';
    await lab.sh(HOST, `rm -rf ${base} && mkdir -p ${base}`);
    const report = await runInjectionTable({
      inventoryPath: lab.inventory,
      host: HOST,
      base,
      connection: () => createConnectionFactory()(connectionSpecFromVars(HOST, vars)),
    }, { payloadIndices: LAB_PAYLOADS });
    console.log(`injection over SSH: ${report.payloads} payloads × ${report.cases} arguments = ${report.tried} tries, ${report.canaries.length} canaries`);
    expect(report.canaries).toEqual([]);
    expect(report.failures).toEqual([]);
    expect(report.payloads).toBe(LAB_PAYLOADS.length);
    expect(report.tried).toBe(INJECTION_CASES.length * LAB_PAYLOADS.length);
  }, 300_000);
});
