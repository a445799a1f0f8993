// @vitest-environment jsdom
import type { SshSessionInfo, StudioEvent } from '@studios/protocol';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../../shared/event-bus';
import { PresenceStore } from '../../shared/presence-store';
import { StudioContext, type StudioContextValue } from '../../shared/studio-context';
import { PresenceAvatars } from './PresenceAvatars';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const session = (overrides: Partial<SshSessionInfo>): SshSessionInfo => ({
  id: 'c1',
  userId: 'grace',
  name: 'Grace Hopper',
  client: 'OpenSSH_9.6',
  connectedAt: new Date().toISOString(),
  channels: { shell: 1, exec: 0, sftp: 1, forward: 0 },
  ...overrides,
});

let container: HTMLDivElement;
let root: Root;
let requested: string[];
let answer: { sessions: SshSessionInfo[] };

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  requested = [];
  answer = { sessions: [] };
  // The page's one network edge (api/http.ts) answers the sessions request.
  vi.stubGlobal('fetch', async (url: string) => {
    requested.push(url);
    return new Response(JSON.stringify(answer), { status: 200 });
  });
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
});

async function mount() {
  const events = createEventBus();
  const presence = new PresenceStore('ada');
  const context = {
    studio: { id: 's1' },
    presence,
    events,
    followUser: () => {},
  } as unknown as StudioContextValue;
  await act(async () =>
    root.render(
      <StudioContext.Provider value={context}>
        <PresenceAvatars />
      </StudioContext.Provider>,
    ),
  );
  const emit = (event: StudioEvent) => act(() => events.emit(event));
  return { presence, emit };
}

const sshTag = (userId: string) => container.querySelector(`[data-testid="ssh-presence-${userId}"]`);

describe('PresenceAvatars with SSH', () => {
  it('shows who the server says is connected, then follows the ssh-sessions event', async () => {
    answer = { sessions: [session({})] };
    const { emit } = await mount();
    expect(requested).toEqual(['/api/studios/s1/ssh/sessions']);
    expect(sshTag('grace')?.textContent).toContain('SSH');
    expect(sshTag('grace')?.querySelector('.ui-avatar')?.getAttribute('title')).toBe(
      'Grace Hopper — over SSH\nOpenSSH_9.6 · connected just now · 1 shell, 1 SFTP session',
    );

    emit({ type: 'ssh-sessions', sessions: [] });
    expect(sshTag('grace')).toBeNull();
    expect(container.textContent).toBe('');
  });

  it('tags someone who is in the browser too, keeping their follow button', async () => {
    const { presence, emit } = await mount();
    act(() =>
      presence.setDocumentUsers('a.py', [
        { id: 'grace', name: 'Grace Hopper', color: '#336699', file: 'a.py' },
      ]),
    );
    emit({
      type: 'ssh-sessions',
      sessions: [session({ channels: { shell: 0, exec: 0, sftp: 0, forward: 2 } })],
    });
    const button = sshTag('grace')?.querySelector('button');
    expect(button?.getAttribute('data-testid')).toBe('presence-grace');
    expect(button?.getAttribute('title')).toBe(
      'Grace Hopper — a.py. Click to follow\nGrace Hopper — over SSH\nOpenSSH_9.6 · connected just now · 2 port forwards',
    );
  });

  it('asks again when the events socket reconnects', async () => {
    const { emit } = await mount();
    answer = { sessions: [session({ userId: 'alan', name: 'Alan' })] };
    emit({ type: 'hello', version: 1, role: 'editor' });
    await act(async () => {
      await vi.waitFor(() => expect(sshTag('alan')).not.toBeNull());
    });
    expect(requested).toHaveLength(2);
  });
});
