// Process entry of one lab Windows host: `server-main.ts <config.json>`. Listens on HTTP and HTTPS,
// writes the config's readyFile once listening, and exits 0 on SIGTERM/SIGINT after closing.

import { loadWindowsHostConfig } from './config.js';
import { startWindowsHost } from './index.js';

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) {
    process.stderr.write('usage: server-main <config.json>\n');
    process.exit(5);
  }
  const config = loadWindowsHostConfig(path);
  const handle = await startWindowsHost(config);
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    handle.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`lab windows host: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
