import { CloseCode } from '@studios/protocol';
import WebSocket from 'ws';

/** The handle the server keeps for one collab socket. */
export interface CollabConnection {
  /** Role changes apply to the next frame this socket sends. */
  setCanWrite(canWrite: boolean): void;
  close(code: number, reason: string): void;
}

export interface CollabUser {
  id: string;
  name: string;
}

/** Frames a socket may send before its document has loaded; more is a flood. */
const MAX_FRAMES_BEFORE_READY = 1000;

/** One socket in a room: its role, the awareness client it speaks for, and its heartbeat. */
export class RoomConnection implements CollabConnection {
  readonly ws: WebSocket;
  readonly user: CollabUser;
  canWrite: boolean;
  /** The awareness clientID this socket introduced first; it may only speak for that one. */
  awarenessClientId: number | null = null;
  /** Cleared on every heartbeat, set again by the pong. */
  alive = true;
  #pending: Uint8Array[] | null = [];
  #onFrame: ((frame: Uint8Array) => void) | undefined;

  constructor(ws: WebSocket, user: CollabUser, canWrite: boolean) {
    this.ws = ws;
    this.user = user;
    this.canWrite = canWrite;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  setCanWrite(canWrite: boolean): void {
    this.canWrite = canWrite;
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason);
    }
  }

  /** A frame arrived: handled now once the room is ready, queued before. */
  receive(frame: Uint8Array): void {
    if (this.#onFrame) {
      this.#onFrame(frame);
      return;
    }
    if (!this.#pending) return;
    if (this.#pending.length >= MAX_FRAMES_BEFORE_READY) {
      this.#pending = null;
      this.close(CloseCode.TooManyMessages, 'too many messages before the document loaded');
      return;
    }
    this.#pending.push(frame);
  }

  /** The room is ready: from now on frames go to `onFrame`, starting with the queued ones. */
  start(onFrame: (frame: Uint8Array) => void): void {
    const queued = this.#pending ?? [];
    this.#pending = null;
    this.#onFrame = onFrame;
    for (const frame of queued) {
      if (!this.isOpen) return;
      onFrame(frame);
    }
  }

  send(message: Uint8Array): void {
    if (!this.isOpen) return;
    this.ws.send(message, (error) => {
      if (error) this.ws.terminate();
    });
  }
}
