// The Studio agent: the one process through which the server reaches a Studio's files and ports.
// It runs inside the Studio as the Studio user (never root), started by the runtime driver with
// Node and this bundle mounted read-only (so it keeps working whatever the user installs or
// removes), and connects back to the server over the Unix socket the driver mounted.
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { AGENT_PROTOCOL_VERSION, type AgentFailure, AgentRequest, AgentWelcome } from '@studios/protocol';
import { Mux } from '../mux/mux';
import { type HandlerContext, runHandler } from './handlers';
import { TreeWatcher } from './tree-watcher';
import { Workspace } from './workspace';

/** Replaced by the bundler with the bundle's content hash. */
declare const STUDIOS_AGENT_VERSION: string;
const AGENT_VERSION = typeof STUDIOS_AGENT_VERSION === 'string' ? STUDIOS_AGENT_VERSION : 'dev';

const CONNECT_DEADLINE_MS = 20_000;

function fail(message: string, code = 2): never {
  process.stderr.write(`studios-agent: ${message}\n`);
  process.exit(code);
}

/** Connects to the server's socket, retrying while it is not there yet (server starting). */
async function connectWithRetry(path: string): Promise<Socket> {
  const deadline = Date.now() + CONNECT_DEADLINE_MS;
  for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
    const socket = connect(path);
    const outcome = await new Promise<Error | undefined>((resolve) => {
      socket.once('connect', () => resolve(undefined));
      socket.once('error', resolve);
    });
    if (!outcome) return socket;
    socket.destroy();
    if (Date.now() > deadline) fail(`cannot reach the server at ${path}: ${outcome.message}`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { connect: { type: 'string' }, root: { type: 'string' } } });
  const token = process.env.STUDIOS_AGENT_TOKEN;
  if (!values.connect || !values.root || !token) {
    fail('usage: STUDIOS_AGENT_TOKEN=… studios-agent --connect <socket> --root <workspace>');
  }
  // The token stays out of every child's environment (port connections, future processes).
  delete process.env.STUDIOS_AGENT_TOKEN;
  const workspace = new Workspace(values.root);
  let watcher: Promise<TreeWatcher> | undefined;
  const context: HandlerContext = {
    workspace,
    treeWatcher() {
      watcher ??= TreeWatcher.start(values.root as string).catch((error: unknown) => {
        watcher = undefined;
        throw error;
      });
      return watcher;
    },
  };

  const socket = await connectWithRetry(values.connect);
  let welcomed = false;
  const mux = new Mux(socket, {
    side: 'agent',
    onOpen(channel, raw) {
      const request = AgentRequest.safeParse(raw);
      if (!welcomed || !request.success) {
        const failure: AgentFailure = {
          ok: false,
          error: {
            code: 'invalid_request',
            message: welcomed ? 'unknown or malformed request' : 'no welcome yet',
          },
        };
        void channel.sendMessage(failure).finally(() => channel.close('invalid request'));
        return;
      }
      void runHandler(request.data, channel, context);
    },
  });
  mux.onHello((raw) => {
    const welcome = AgentWelcome.safeParse(raw);
    if (!welcome.success || welcome.data.protocol !== AGENT_PROTOCOL_VERSION) {
      fail(`the server speaks another agent protocol (${JSON.stringify(raw).slice(0, 200)})`, 3);
    }
    welcomed = true;
  });
  // One agent per connection: when the server goes, so does this process; the driver starts a
  // new one for the next server.
  mux.onClose(() => process.exit(0));
  mux.hello({
    type: 'hello',
    protocol: AGENT_PROTOCOL_VERSION,
    agentVersion: AGENT_VERSION,
    token,
    pid: process.pid,
  });
}

process.on('SIGTERM', () => process.exit(0));
main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error), 1));
