// Entry of the lab's MOFED mirror process (started by the lab supervisor, so `lab down` stops it):
//   serve-main ROOT ADDRESS PORT READY_FILE
import { writeFileSync } from 'node:fs';
import { serveMirror } from './serve.js';

const [root, address, port, ready] = process.argv.slice(2);
if (!root || !address || !port || !ready) {
  process.stderr.write('usage: serve-main ROOT ADDRESS PORT READY_FILE\n');
  process.exit(2);
}
const { server, url } = await serveMirror(root, address, Number(port));
writeFileSync(ready, `${url}\n`);
process.stdout.write(`MOFED mirror ${root} on ${url}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
