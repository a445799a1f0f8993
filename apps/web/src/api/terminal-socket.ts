import { type TerminalClientMessage, TerminalServerMessage } from '@studios/protocol';
import { openReconnectingSocket, type SocketStatus, type SocketStatusDetail } from './reconnecting-socket';
import { wsUrl } from './ws-url';

export interface TerminalSocketHandlers {
  /** Raw PTY output (binary frames). */
  onOutput(bytes: Uint8Array): void;
  /** A JSON control message (hello, snapshot, size, attached, title, exit, role). */
  onControl(message: TerminalServerMessage): void;
  onStatus?(status: SocketStatus, detail: SocketStatusDetail): void;
}

/** One attachment to a terminal session; see packages/protocol/src/terminal.ts. */
export interface TerminalSocket {
  /** Keyboard input or a paste, sent as a binary frame. */
  sendInput(data: string): void;
  sendControl(message: TerminalClientMessage): void;
  close(): void;
}

const encoder = new TextEncoder();

export function connectTerminal(
  studioId: string,
  terminalId: string,
  handlers: TerminalSocketHandlers,
): TerminalSocket {
  const socket = openReconnectingSocket({
    url: wsUrl(`/api/studios/${encodeURIComponent(studioId)}/terminals/${encodeURIComponent(terminalId)}`),
    onStatus: handlers.onStatus,
    onMessage(data) {
      if (data instanceof ArrayBuffer) {
        handlers.onOutput(new Uint8Array(data));
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        return;
      }
      const parsed = TerminalServerMessage.safeParse(json);
      if (parsed.success) handlers.onControl(parsed.data);
    },
  });
  return {
    sendInput: (data) => void socket.send(encoder.encode(data)),
    sendControl: (message) => void socket.send(JSON.stringify(message)),
    close: () => socket.close(),
  };
}
