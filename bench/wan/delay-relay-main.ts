// The user-space WAN link (--delay-method relay): a TCP relay from the controller to the bastion's
// sshd that delays each direction by the configured one-way delay (± jitter). A connection's set-up
// waits a round trip before reaching the bastion, as a TCP handshake across the link would. Started
// by wan/relay.ts as its own process, so the bench's own work never delays its timers.
// argv: JSON {listenHost, targetHost, targetPort, delayMs, jitterMs}; prints "listening <port>".
import { createServer, Socket } from 'node:net';
import { DelayLine } from './delay-line.js';

interface RelayConfig {
  listenHost: string;
  targetHost: string;
  targetPort: number;
  delayMs: number;
  jitterMs: number;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as RelayConfig;
const shape = { delayMs: cfg.delayMs, jitterMs: cfg.jitterMs };
type Item = Buffer | 'end';

const server = createServer({ noDelay: true }, (client) => {
  const up = new Socket();
  up.setNoDelay(true);
  let connected = false;
  const early: Item[] = [];
  const toUp = (item: Item) => {
    if (!connected) return void early.push(item);
    if (item === 'end') up.end();
    else up.write(item);
  };
  const toClient = (item: Item) => (item === 'end' ? client.end() : client.write(item));
  const upward = new DelayLine<Item>(shape, toUp);
  const downward = new DelayLine<Item>(shape, toClient);
  client.on('data', (b: Buffer) => upward.push(b));
  client.on('end', () => upward.push('end'));
  up.on('data', (b: Buffer) => downward.push(b));
  up.on('end', () => downward.push('end'));
  const kill = () => {
    client.destroy();
    up.destroy();
  };
  client.on('error', kill);
  up.on('error', kill);
  client.on('close', (hadError) => hadError && kill());
  setTimeout(() => {
    if (client.destroyed) return;
    up.connect(cfg.targetPort, cfg.targetHost, () => {
      connected = true;
      for (const item of early.splice(0)) toUp(item);
    });
  }, 2 * cfg.delayMs);
});

server.listen(0, cfg.listenHost, () => {
  const addr = server.address();
  process.stdout.write(`listening ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => process.exit(0));
