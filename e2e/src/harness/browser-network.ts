import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitFor } from '@studios/testkit';

/**
 * Where the test browser's network lives.
 *
 * Why: Chromium watches the host's network interfaces (netlink) and fails every request in
 * flight with `net::ERR_NETWORK_CHANGED` when an address appears or goes. Docker adds a bridge
 * and a veth pair on the host each time a Studio's network is created or its container starts,
 * so a browser on the same host as the engine saw its requests fail whenever a spec started a
 * Studio. A real user's browser runs on another machine and never sees those interfaces; the
 * test browser gets the same: its own network namespace with only a loopback, where a relay
 * makes each host server reachable under its usual URL (`127.0.0.1:<port>`, `*.localhost:<port>`).
 * The web app's own recovery from network changes is tested separately, by injecting failures.
 */
export interface BrowserNetwork {
  /** An executable that runs Chromium with its arguments inside this network. */
  readonly chromiumPath: string;
  /** False where no namespace can be made (not root, no iproute2): the host's network is shared. */
  readonly isolated: boolean;
  /** Makes the host's 127.0.0.1:`port` answer at 127.0.0.1:`port` inside the browser's network. */
  expose(port: number): Promise<void>;
  close(): Promise<void>;
}

const NAMESPACE_PREFIX = 'studios-e2e-';
const RELAY_SCRIPT = join(import.meta.dirname, 'netns-relay.mjs');

function ip(...args: string[]): string {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr || result.error}`);
  return result.stdout;
}

function canIsolate(): boolean {
  return process.getuid?.() === 0 && spawnSync('ip', ['-V']).status === 0;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes namespaces left by test runs that were killed before they could clean up. */
function removeStaleNamespaces(): void {
  for (const line of ip('netns', 'list').split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const pid = Number(name.slice(NAMESPACE_PREFIX.length).split('-')[0]);
    if (name.startsWith(NAMESPACE_PREFIX) && Number.isInteger(pid) && !processAlive(pid)) {
      spawnSync('ip', ['netns', 'delete', name]);
    }
  }
}

/**
 * A relay from a Unix socket (reachable from both namespaces) to the host's 127.0.0.1:`port`.
 * Its open connections are kept in `open`, so closing the network ends them at once.
 */
function listenForRelay(socketPath: string, port: number, open: Set<Socket>): Promise<Server> {
  const server = createServer((inbound) => {
    const outbound = createConnection(port, '127.0.0.1');
    inbound.pipe(outbound).pipe(inbound);
    const close = () => {
      inbound.destroy();
      outbound.destroy();
      open.delete(inbound);
    };
    open.add(inbound);
    for (const socket of [inbound, outbound]) {
      socket.on('error', close);
      socket.on('close', close);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve(server));
  });
}

/** The browser network for one test browser; `tempRoot` is a folder removed with the browser. */
export async function createBrowserNetwork(chromium: string, tempRoot: string): Promise<BrowserNetwork> {
  if (!canIsolate()) {
    console.warn(
      'e2e: not root or no iproute2, so the test browser shares the host network; starting ' +
        'Studios changes it and Chromium may fail requests with ERR_NETWORK_CHANGED. Run as root.',
    );
    return { chromiumPath: chromium, isolated: false, expose: async () => {}, close: async () => {} };
  }
  removeStaleNamespaces();
  const name = `${NAMESPACE_PREFIX}${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  ip('netns', 'add', name);
  ip('-n', name, 'link', 'set', 'lo', 'up');
  const chromiumPath = join(tempRoot, 'chromium-in-netns.sh');
  writeFileSync(chromiumPath, `#!/bin/sh\nexec ip netns exec ${name} ${chromium} "$@"\n`);
  chmodSync(chromiumPath, 0o755);

  const relay: ChildProcess = spawn('ip', ['netns', 'exec', name, process.execPath, RELAY_SCRIPT], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const answers = new Map<number, string>();
  createInterface({ input: relay.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const [status, port, ...why] = line.split(' ');
    answers.set(Number(port), status === 'ok' ? 'ok' : why.join(' '));
  });
  const exited = new Promise<void>((resolve) => relay.once('exit', () => resolve()));
  const hostRelays: Server[] = [];
  // One relay per port, however many people (contexts) open pages on it at the same moment.
  const exposed = new Map<number, Promise<void>>();
  const openConnections = new Set<Socket>();

  return {
    chromiumPath,
    isolated: true,
    expose(port) {
      let ready = exposed.get(port);
      if (!ready) {
        ready = (async () => {
          const socketPath = join(tempRoot, `relay-${port}.sock`);
          hostRelays.push(await listenForRelay(socketPath, port, openConnections));
          relay.stdin?.write(`listen ${port} ${socketPath}\n`);
          await waitFor(() => answers.has(port), {
            timeoutMs: 10_000,
            intervalMs: 10,
            what: `the browser network relay to listen on port ${port}`,
          });
          if (answers.get(port) !== 'ok') throw new Error(`relay for port ${port}: ${answers.get(port)}`);
        })();
        exposed.set(port, ready);
      }
      return ready;
    },
    async close() {
      relay.stdin?.end();
      const killer = setTimeout(() => relay.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
      for (const socket of openConnections) socket.destroy();
      await Promise.all(hostRelays.map((server) => new Promise((done) => server.close(done))));
      spawnSync('ip', ['netns', 'delete', name]);
    },
  };
}
