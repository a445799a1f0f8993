import { existsSync } from 'node:fs';
import { serverFeatureMissing } from './collab-targets';
import { type StudiosLaunch, type StudiosServer, StudiosSession, startStudiosServer } from './studios-api';
import { TerminalClient } from './terminal-client';

/** A running Studio on a real Studios server with one attached terminal at a shell prompt. */
export interface StudioTerminal extends AsyncDisposable {
  server: StudiosServer;
  session: StudiosSession;
  studioId: string;
  terminal: TerminalClient;
  /** Opens another terminal in the same Studio and waits for its prompt (disposed with the rest). */
  openAnother(): Promise<TerminalClient>;
  /** The Docker container the runtime created for the Studio (its naming convention). */
  containerName: string;
}

/** Starts a server, a Studio and a terminal, and waits for the first prompt. */
export async function openStudioTerminal(launch: StudiosLaunch): Promise<StudioTerminal> {
  const server = await startStudiosServer({ launch, env: { STUDIOS_RUNTIME: 'docker' } });
  const terminals: TerminalClient[] = [];
  try {
    const session = await StudiosSession.signUp(server, 'bench-terminal');
    const studioId = await session.createStudio('bench-terminal');
    await session.startStudio(studioId);
    const openAnother = async () => {
      const terminalId = await session.createTerminal(studioId);
      const url = session.terminalSocketUrl(studioId, terminalId);
      const terminal = await TerminalClient.attach(url, session.socketHeaders(true));
      terminals.push(terminal);
      await terminal.waitForPrompt(30_000);
      return terminal;
    };
    const first = await openAnother();
    return {
      server,
      session,
      studioId,
      terminal: first,
      openAnother,
      containerName: `studios-${studioId}`,
      async [Symbol.asyncDispose]() {
        for (const terminal of terminals) terminal.dispose();
        await session.request('DELETE', `/api/studios/${studioId}`).catch(() => undefined);
        await server[Symbol.asyncDispose]();
      },
    };
  } catch (error) {
    for (const terminal of terminals) terminal.dispose();
    await server[Symbol.asyncDispose]();
    throw error;
  }
}

/** Why terminal scenarios cannot run on this checkout or machine, or undefined when they can. */
export function studiosTerminalsUnavailable(launch: StudiosLaunch): string | undefined {
  const missing = serverFeatureMissing(launch, 'runtime') ?? serverFeatureMissing(launch, 'terminals');
  if (missing) return missing;
  if (!existsSync('/var/run/docker.sock')) return 'Docker is not running (no /var/run/docker.sock)';
  return undefined;
}
