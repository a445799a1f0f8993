import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { waitFor } from '@studios/testkit';

/**
 * Stand-ins for what lies beyond a Studio's host, all on this machine (no test traffic ever
 * leaves it): a network namespace behind a veth pair, routed from the host, holding a
 * "public" address (TEST-NET-3), a private one and the cloud metadata address, with one
 * listener answering on all three; and a link-local address on a bridge of the host itself.
 */
export interface OutsideNetwork {
  readonly publicAddress: string;
  readonly privateAddress: string;
  readonly metadataAddress: string;
  /** The port the namespace's listener answers on, at each of its addresses. */
  readonly port: number;
  /** A listener of the host's own, on a link-local address of a bridge created for the test. */
  readonly hostLinkLocal: { address: string; port: number };
  dispose(): Promise<void>;
}

const ADDRESSES = {
  hostSide: '198.51.100.1',
  namespaceSide: '198.51.100.2',
  public: '203.0.113.10',
  private: '192.168.251.10',
  metadata: '169.254.169.254',
  hostLinkLocal: '169.254.77.1',
} as const;

const LISTENER = `
const server = require('node:net').createServer((socket) => { socket.on('error', () => {}); socket.end('outside\\n'); });
server.listen(Number(process.argv[1]), '0.0.0.0', () => console.log('ready'));
`;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Runs every cleanup step even when one fails (a half-built fixture), newest first. */
async function undo(steps: Array<() => void | Promise<void>>): Promise<void> {
  for (const step of steps.reverse()) {
    try {
      await step();
    } catch {
      // Already gone.
    }
  }
}

/**
 * Removes what a run killed midway left behind (SIGKILL skips `dispose`): its namespace, veth,
 * bridge and the routes to the fixed addresses, which would make `ip route add` fail with "File
 * exists". The addresses are fixed, so only one fixture can live on a machine at a time anyway.
 */
function removeLeftovers(): void {
  const namespaces = execFileSync('ip', ['netns', 'list']).toString();
  for (const [name] of namespaces.matchAll(/^studios-nt-\S+/gm)) {
    try {
      // Its listener outlived the run too.
      for (const pid of execFileSync('ip', ['netns', 'pids', name]).toString().split(/\s+/).filter(Boolean)) {
        process.kill(Number(pid), 'SIGKILL');
      }
      ip('netns', 'delete', name);
    } catch {
      // Gone meanwhile.
    }
  }
  const links = execFileSync('ip', ['-o', 'link', 'show']).toString();
  for (const [, name] of links.matchAll(/^\d+: (t(?:vh|br)[0-9a-f]+)[@:]/gm)) {
    try {
      ip('link', 'delete', name as string);
    } catch {
      // Gone with its peer.
    }
  }
  for (const address of [ADDRESSES.public, ADDRESSES.private, ADDRESSES.metadata]) {
    try {
      ip('route', 'delete', `${address}/32`);
    } catch {
      // No such route: the usual case.
    }
  }
}

/** Builds the namespace, veth, routes, bridge and listeners; `tag` keeps names unique per run. */
export async function createOutsideNetwork(tag: string, port = 8080): Promise<OutsideNetwork> {
  removeLeftovers();
  const namespace = `studios-nt-${tag}`;
  const hostVeth = `tvh${tag}`;
  const namespaceVeth = `tvn${tag}`;
  const bridge = `tbr${tag}`;
  const cleanups: Array<() => void | Promise<void>> = [];
  const hostServer = createServer((socket) => {
    socket.on('error', () => {});
    socket.end('host link-local\n');
  });
  try {
    ip('netns', 'add', namespace);
    cleanups.push(() => ip('netns', 'delete', namespace));
    ip('link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', namespaceVeth);
    cleanups.push(() => ip('link', 'delete', hostVeth));
    ip('link', 'set', namespaceVeth, 'netns', namespace);
    ip('addr', 'add', `${ADDRESSES.hostSide}/24`, 'dev', hostVeth);
    ip('link', 'set', hostVeth, 'up');
    ip('-n', namespace, 'link', 'set', 'lo', 'up');
    ip('-n', namespace, 'addr', 'add', `${ADDRESSES.namespaceSide}/24`, 'dev', namespaceVeth);
    for (const address of [ADDRESSES.public, ADDRESSES.private, ADDRESSES.metadata]) {
      ip('-n', namespace, 'addr', 'add', `${address}/32`, 'dev', namespaceVeth);
    }
    ip('-n', namespace, 'link', 'set', namespaceVeth, 'up');
    ip('-n', namespace, 'route', 'add', 'default', 'via', ADDRESSES.hostSide);
    for (const address of [ADDRESSES.public, ADDRESSES.private, ADDRESSES.metadata]) {
      ip('route', 'add', `${address}/32`, 'via', ADDRESSES.namespaceSide, 'dev', hostVeth);
      // Deleting the veth takes its routes along; this only matters if that step failed.
      cleanups.push(() => ip('route', 'delete', `${address}/32`));
    }

    ip('link', 'add', bridge, 'type', 'bridge');
    cleanups.push(() => ip('link', 'delete', bridge));
    ip('addr', 'add', `${ADDRESSES.hostLinkLocal}/32`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');

    let output = '';
    const started = spawn(
      'ip',
      ['netns', 'exec', namespace, process.execPath, '-e', LISTENER, String(port)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    cleanups.push(() => {
      started.kill('SIGKILL');
    });
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await waitFor(() => output.includes('ready'), {
      what: 'listener in the outside namespace',
      timeoutMs: 10_000,
    });

    await new Promise<void>((resolve, reject) => {
      hostServer.once('error', reject);
      hostServer.listen(0, ADDRESSES.hostLinkLocal, resolve);
    });
    cleanups.push(() => new Promise<void>((resolve) => hostServer.close(() => resolve())));
  } catch (error) {
    await undo(cleanups);
    throw error;
  }
  const hostPort = (hostServer.address() as { port: number }).port;
  return {
    publicAddress: ADDRESSES.public,
    privateAddress: ADDRESSES.private,
    metadataAddress: ADDRESSES.metadata,
    port,
    hostLinkLocal: { address: ADDRESSES.hostLinkLocal, port: hostPort },
    dispose: () => undo(cleanups),
  };
}
