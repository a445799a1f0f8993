/**
 * The layering of Studios, in one table. `npm run layers` (tools/check-layers) fails the build on
 * any import that breaks it; `check-layers.test.ts` proves each rule catches a wrong import.
 * Change a rule here, in the open, never by silencing the check (house rule 12).
 */

/**
 * Which of our packages each workspace may import, by package name. Everything not listed is
 * refused, including importing an app (`@studios/server`, `@studios/web`) from anywhere.
 * base and protocol import nothing of ours: base ← protocol ← runtime/collab ← terminal ← apps.
 */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  '@studios/base': [],
  '@studios/protocol': [],
  '@studios/runtime': ['@studios/base', '@studios/protocol'],
  '@studios/collab': ['@studios/base', '@studios/protocol'],
  '@studios/terminal': ['@studios/base', '@studios/protocol', '@studios/runtime'],
  // The Studio agent (runs inside Studios) and its server side: supervision through the runtime driver.
  '@studios/agent': ['@studios/base', '@studios/protocol', '@studios/runtime'],
  // Jupyter kernels: processes through the runtime driver; ports through a dialer the server
  // builds on the agent (product code takes the small `StudioPortDialer`; tests drive a real agent).
  '@studios/kernels': ['@studios/base', '@studios/protocol', '@studios/runtime', '@studios/agent'],
  // The SSH gateway: speaks SSH; who may enter and how a Studio runs things is the server's (a backend).
  '@studios/ssh-gateway': ['@studios/base', '@studios/protocol', '@studios/runtime'],
  '@studios/testkit': ['@studios/base'],
  '@studios/server': [
    '@studios/base',
    '@studios/protocol',
    '@studios/agent',
    '@studios/collab',
    '@studios/kernels',
    '@studios/runtime',
    '@studios/ssh-gateway',
    '@studios/terminal',
  ],
  '@studios/web': ['@studios/base', '@studios/protocol'],
  // The studios command: the REST API through protocol schemas, like the web app.
  '@studios/cli': ['@studios/base', '@studios/protocol'],
  '@studios/e2e': ['@studios/base', '@studios/protocol'],
  // S11 drives a Studio's agent in-process (AgentHub over a runtime driver), as the server wires it.
  '@studios/bench': ['@studios/base', '@studios/protocol', '@studios/agent', '@studios/runtime'],
};

/** Packages whose product files import nothing but their own relative files (no npm packages). */
export const SELF_CONTAINED: readonly string[] = ['@studios/base'];

/**
 * Test code may also import `@studios/testkit` and the `src/testing/` fixtures; product code never
 * does. Test code is a `*.test.ts(x)` file, a `src/testing/` folder, or the e2e/bench harnesses.
 */
export const TEST_CODE: readonly RegExp[] = [/\.test\.tsx?$/, /\/src\/testing\//, /^e2e\//, /^bench\//];

/** The package only test code may import. */
export const TEST_ONLY_PACKAGE = '@studios/testkit';

/** External systems behind one folder each (house style): the module, and where it may be imported. */
export const CONFINED_MODULES: ReadonlyArray<{ module: string; only: string; orTestCode: boolean }> = [
  // Tests may ask the engine directly what really happened (a container's address, its mounts).
  { module: 'dockerode', only: 'packages/runtime/src/docker/', orTestCode: true },
  { module: 'node-pty', only: 'packages/runtime/src/local/', orTestCode: false },
  // The browser's collab client; tests and the bench drive the server with the same client.
  { module: 'y-websocket', only: 'apps/web/src/api/', orTestCode: true },
  // ZeroMQ sockets to Jupyter kernels; hostile-kernel tests play the kernel with it.
  { module: 'zeromq', only: 'packages/kernels/src/client/', orTestCode: true },
  // SSH protocol (server side); tests use the real OpenSSH client, never ssh2's client.
  { module: 'ssh2', only: 'packages/ssh-gateway/src/', orTestCode: false },
];

/**
 * Modules a workspace's product code may not import at all. The server never opens a Studio's
 * files on the host: live documents and terminals reach them only through the Studio's agent.
 */
export const FORBIDDEN_MODULES: ReadonlyArray<{
  workspace: string;
  modules: readonly string[];
  why: string;
}> = [
  {
    workspace: '@studios/collab',
    modules: ['node:fs', 'node:fs/promises', 'fs', 'fs/promises'],
    why: "a Studio's files are reached only through DocumentFiles (its agent)",
  },
  {
    workspace: '@studios/terminal',
    modules: ['node:fs', 'node:fs/promises', 'fs', 'fs/promises'],
    why: 'terminals run inside the Studio through the runtime driver',
  },
];

/** Calls that reach the network from the web app: only `apps/web/src/api/` makes them. */
export const WEB_NETWORK_CALLS: ReadonlyArray<{ pattern: RegExp; name: string }> = [
  { pattern: /\bfetch\(/, name: 'fetch(' },
  { pattern: /\bnew WebSocket\b/, name: 'new WebSocket' },
  { pattern: /\bWebsocketProvider\b/, name: 'WebsocketProvider' },
];
export const WEB_NETWORK_FOLDER = 'apps/web/src/api/';

/**
 * Folders of `apps/web/src/` and which folders each may import. `features/<name>/` may import its
 * own files, and another feature only through that feature's front door (`../<other>`, its
 * index.ts); what several features share goes to `shared/` (Studio-aware) or `ui/` (generic).
 * `app/` is the shell: it composes pages and nothing imports it but `main.tsx`.
 */
export const WEB_AREAS: Readonly<Record<string, readonly string[]>> = {
  'api/': ['api/'],
  'ui/': ['ui/'],
  'shared/': ['api/', 'ui/', 'shared/'],
  'features/': ['api/', 'ui/', 'shared/', 'features/'],
  'app/': ['api/', 'ui/', 'shared/', 'features/', 'app/'],
  'main.tsx': ['api/', 'ui/', 'shared/', 'features/', 'app/'],
};

/**
 * Imports allowed despite a rule, each with the reason and what ends it. The check fails on an
 * entry that no longer matches anything, so this list can only shrink.
 */
export const EXCEPTIONS: ReadonlyArray<{ file: string; specifier: string; why: string }> = [];
