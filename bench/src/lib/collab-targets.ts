import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ChildServer, findFreePort } from './child-server';
import { type StudiosLaunch, StudiosSession, startStudiosServer } from './studios-api';
import type { CollabEndpoint } from './yjs-client';

/** A collab server under test as S2–S4 see it: where to connect and how to prepare a doc. */
export interface CollabTarget extends CollabEndpoint, AsyncDisposable {
  name: string;
  child: ChildServer;
  /** Makes the documents addressable (Studios: creates the files; stock: nothing to do). */
  prepareDocs(paths: readonly string[]): Promise<void>;
  /** The document's persisted text, when the server persists (Studios: the file on disk). */
  readPersisted?(path: string): Promise<string | undefined>;
}

/** The stock `@y/websocket-server` peer in a child process. */
export async function startStockTarget(options: {
  benchDir: string;
  inspect?: boolean;
}): Promise<CollabTarget> {
  const port = await findFreePort();
  const child = await ChildServer.start({
    name: 'stock',
    args: ['--import', 'tsx', path.join('src', 'peers', 'stock-collab-server.ts')],
    cwd: options.benchDir,
    inspect: options.inspect ?? false,
    env: { PORT: String(port) },
    ready: () => answersHttp(port),
  });
  const origin = `http://127.0.0.1:${port}`;
  return {
    name: 'stock',
    child,
    serverUrl: `ws://127.0.0.1:${port}/api/studios/stock/collab`,
    headers: () => ({ origin }),
    prepareDocs: async () => {},
    [Symbol.asyncDispose]: () => child[Symbol.asyncDispose](),
  };
}

async function answersHttp(port: number): Promise<boolean> {
  return (await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined))?.ok === true;
}

/** The real Studios server with one signed-up owner and one Studio holding the docs. */
export async function startStudiosTarget(options: {
  launch: StudiosLaunch;
  inspect?: boolean;
}): Promise<CollabTarget & { session: StudiosSession; studioId: string }> {
  const server = await startStudiosServer(options);
  try {
    const session = await StudiosSession.signUp(server, 'bench-owner');
    const studioId = await session.createStudio('bench');
    return {
      name: 'studios',
      child: server.child,
      session,
      studioId,
      serverUrl: `ws://127.0.0.1:${server.port}/api/studios/${studioId}/collab`,
      headers: (authenticated) => session.socketHeaders(authenticated),
      async prepareDocs(paths) {
        // A handful at a time: S4 prepares a thousand files and the server is single-threaded anyway.
        for (let start = 0; start < paths.length; start += 16) {
          await Promise.all(paths.slice(start, start + 16).map((file) => session.createFile(studioId, file)));
        }
      },
      readPersisted: (file) => session.readFile(studioId, file),
      [Symbol.asyncDispose]: () => server[Symbol.asyncDispose](),
    };
  } catch (error) {
    await server[Symbol.asyncDispose]();
    throw error;
  }
}

/** The system under test for S2–S4: Studios, or a second stock server for an A/A run. */
export async function startSubjectTarget(
  context: { studios: StudiosLaunch; benchDir: string; subject: 'studios' | 'stock' },
  options: { inspect?: boolean } = {},
): Promise<CollabTarget> {
  if (context.subject === 'stock') {
    const target = await startStockTarget({ benchDir: context.benchDir, ...options });
    return { ...target, name: 'stock-as-subject' };
  }
  return startStudiosTarget({ launch: context.studios, ...options });
}

/**
 * Why the Studios collab path cannot be benchmarked yet, or undefined when it can: the server
 * entry must exist and import the collab feature.
 */
export function studiosCollabUnavailable(launch: StudiosLaunch): string | undefined {
  return serverFeatureMissing(launch, 'collab');
}

/** Why the server cannot serve `feature` yet (folder missing or not imported by the entry). */
export function serverFeatureMissing(launch: StudiosLaunch, feature: string): string | undefined {
  const main = path.join(launch.repoRoot, launch.entry);
  if (!existsSync(main)) return `${launch.entry} does not exist yet`;
  if (!existsSync(path.join(launch.repoRoot, 'apps/server/src/features', feature))) {
    return `apps/server/src/features/${feature} does not exist yet`;
  }
  // An import path, not a mention: main.ts names the features in a comment before they are wired.
  const mainSource = readFileSync(main, 'utf8');
  if (new RegExp(`features/${feature}[/']`).test(mainSource)) return undefined;
  // Since the notebooks feature, main.ts wires every feature through features/standard-features.ts.
  const standard = path.join(launch.repoRoot, 'apps/server/src/features/standard-features.ts');
  if (
    /features\/standard-features['/]/.test(mainSource) &&
    existsSync(standard) &&
    new RegExp(`from '\\./${feature}[/']`).test(readFileSync(standard, 'utf8'))
  ) {
    return undefined;
  }
  return `${launch.entry} does not register the ${feature} feature yet`;
}
