import type { Role, Studio, StudioEvent, StudioRuntimeStatus } from '@studios/protocol';
import { connectSocket, type TestSocket } from './socket-client';
import { type Account, jsonInit, type ListeningTestServer } from './test-server';

/** Calls the API as `who`, sending the server's own Origin the way a browser tab does. */
export function callAs(
  t: ListeningTestServer,
  who: Account,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return t.request(path, jsonInit(method, body, { cookie: who.cookie, origin: t.origin }));
}

export interface NewStudio {
  name: string;
  machineType?: string;
  /** Added after creation, in order; any refusal fails the set-up. */
  members?: ReadonlyArray<readonly [Account, Role]>;
}

/** Creates a Studio owned by `owner` through the API, with its members. */
export async function createStudio(t: ListeningTestServer, owner: Account, spec: NewStudio): Promise<Studio> {
  const { members = [], ...body } = spec;
  const created = await callAs(t, owner, 'POST', '/api/studios', body);
  if (created.status !== 201) throw new Error(`creating a Studio: ${created.status} ${await created.text()}`);
  const studio = (await created.json()) as Studio;
  for (const [who, role] of members) {
    const added = await callAs(t, owner, 'POST', `/api/studios/${studio.id}/members`, {
      email: who.email,
      role,
    });
    if (added.status !== 201) throw new Error(`adding a ${role}: ${added.status} ${await added.text()}`);
  }
  return studio;
}

/** Opens a Studio's event socket as `who`. */
export function openStudioEvents(
  t: ListeningTestServer,
  who: Account,
  studioId: string,
): Promise<TestSocket> {
  return connectSocket(t.wsUrl(`/api/studios/${studioId}/events`), { cookie: who.cookie, origin: t.origin });
}

/** The runtime statuses among a Studio's events, in order. */
export function runtimeStatuses(events: readonly StudioEvent[]): StudioRuntimeStatus[] {
  return events.flatMap((event) => (event.type === 'runtime' ? [event.status] : []));
}

/**
 * Studios a test suite creates, each with its event socket open, remembered for the clean-up:
 * `closeSockets()` and `studioIds` belong in the suite's afterAll.
 */
export class StudioTracker {
  readonly studioIds: string[] = [];
  readonly #sockets: TestSocket[] = [];

  async create(
    t: ListeningTestServer,
    owner: Account,
    spec: NewStudio,
  ): Promise<{ studio: Studio; events: StudioEvent[] }> {
    const studio = await createStudio(t, owner, spec);
    this.studioIds.push(studio.id);
    const socket = await openStudioEvents(t, owner, studio.id);
    this.#sockets.push(socket);
    return { studio, events: socket.messages as StudioEvent[] };
  }

  closeSockets(): void {
    for (const socket of this.#sockets.splice(0)) socket.ws.close();
  }
}
