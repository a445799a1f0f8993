import type { Role, Studio, StudioRuntimeStatus, User } from '@studios/protocol';
import { createContext, useContext } from 'react';
import type { StudioEventBus } from './event-bus';
import type { PresenceStore } from './presence-store';

/** A request to jump to where another user is (set by clicking their avatar). */
export interface FollowRequest {
  userId: string;
  path: string;
  /** Changes on every click so following the same user twice re-reveals. */
  nonce: number;
}

/** Everything the panels of an open Studio share. */
export interface StudioContextValue {
  studio: Studio;
  user: User;
  role: Role;
  canWrite: boolean;
  canManage: boolean;
  runtime: StudioRuntimeStatus;
  events: StudioEventBus;
  presence: PresenceStore;
  activeFile: string | null;
  openFile(path: string): void;
  /** Keeps editor tabs pointing at a file or folder that was renamed here. */
  fileMoved(from: string, to: string): void;
  follow: FollowRequest | null;
  followUser(userId: string, path: string): void;
  /** Asks the server to start (or keep running) the Studio. */
  start(): void;
}

export const StudioContext = createContext<StudioContextValue | null>(null);

export function useStudio(): StudioContextValue {
  const value = useContext(StudioContext);
  if (!value) throw new Error('useStudio must be used inside a Studio page');
  return value;
}
