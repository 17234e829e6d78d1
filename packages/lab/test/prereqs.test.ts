// What a non-root user is told: the lab needs root, and says so before touching anything. (Root is
// needed to run the check as another user, so this belongs to the lab project.)
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('prerequisites', () => {
  it('tells a non-root user that the lab needs root', async () => {
    const root = fileURLToPath(new URL('../', import.meta.url));
    const script = "import('./src/prereqs.ts').then(m => m.requireLabPrereqs()).then(() => console.log('ok'), e => console.log(e.name + ': ' + e.message))";
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, uid: 65534, gid: 65534 });
    expect(stdout.trim()).toBe('LabPrereqError: the fleetplay lab needs root (it creates network namespaces, bridges and mounts): run it with sudo or as root');
  });
});
