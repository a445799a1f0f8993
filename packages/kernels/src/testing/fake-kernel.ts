import { join } from 'node:path';
import { tempDir } from '@studios/testkit';
import { Publisher, Reply, Router } from 'zeromq';
import type { KernelEndpoints } from '../client/kernel-sockets';
import {
  decodeMessage,
  encodeMessage,
  type JupyterMessage,
  type MessageHeader,
  MessageSigner,
  newHeader,
} from '../wire/jupyter-message';

/**
 * A kernel played by the test over real ZeroMQ sockets (bound on `ipc://` in a temp folder): it
 * answers what the test tells it to, and can send whatever a hostile kernel would.
 */
export class FakeKernel {
  readonly key: string;
  readonly signer: MessageSigner;
  readonly endpoints: KernelEndpoints;
  readonly shell = new Router({ linger: 0 });
  readonly control = new Router({ linger: 0 });
  readonly stdin = new Router({ linger: 0 });
  readonly iopub = new Publisher({ linger: 0 });
  readonly hb = new Reply({ linger: 0 });
  /** Ports a fake Studio launched it on (to find it again by port). */
  ports: { shell: number } | undefined;
  /** Whether the heartbeat echoes (a hung kernel does not). */
  heartbeat = true;
  readonly #temp = tempDir('studios-fake-kernel-');
  readonly session = 'fake-kernel-session';

  /** Answers each shell/control request (the test sets it); by default nothing is answered. */
  onRequest: (channel: 'shell' | 'control', request: JupyterMessage) => void | Promise<void> = () => {};

  constructor(key = 'fake-kernel-key') {
    this.key = key;
    this.signer = new MessageSigner(key);
    const endpoint = (name: string) => `ipc://${join(this.#temp.dir, name)}`;
    this.endpoints = {
      shell: endpoint('shell'),
      control: endpoint('control'),
      stdin: endpoint('stdin'),
      iopub: endpoint('iopub'),
      hb: endpoint('hb'),
    };
  }

  async start(): Promise<this> {
    await Promise.all([
      this.shell.bind(this.endpoints.shell),
      this.control.bind(this.endpoints.control),
      this.stdin.bind(this.endpoints.stdin),
      this.iopub.bind(this.endpoints.iopub),
      this.hb.bind(this.endpoints.hb),
    ]);
    void this.#serve('shell', this.shell);
    void this.#serve('control', this.control);
    void this.#echo();
    return this;
  }

  /** Sends a signed reply to `request` on its channel. */
  async reply(
    channel: 'shell' | 'control',
    request: JupyterMessage,
    msgType: string,
    content: unknown,
  ): Promise<void> {
    const socket = channel === 'shell' ? this.shell : this.control;
    await socket.send(this.frames(msgType, content, request.header, request.identities));
  }

  /** Publishes a signed iopub message. */
  async publish(msgType: string, content: unknown, parent?: MessageHeader): Promise<void> {
    await this.iopub.send(this.frames(msgType, content, parent));
  }

  frames(msgType: string, content: unknown, parent?: MessageHeader, identities?: Buffer[]): Buffer[] {
    return encodeMessage(this.signer, {
      header: newHeader(msgType, this.session),
      content,
      ...(parent ? { parentHeader: parent } : {}),
      ...(identities ? { identities } : {}),
    });
  }

  async #serve(channel: 'shell' | 'control', socket: Router): Promise<void> {
    try {
      for await (const frames of socket) {
        const decoded = decodeMessage(this.signer, frames);
        if (decoded.ok) await this.onRequest(channel, decoded.message);
      }
    } catch {
      // closed
    }
  }

  async #echo(): Promise<void> {
    try {
      for await (const frames of this.hb) {
        if (this.heartbeat) await this.hb.send(frames);
        else return;
      }
    } catch {
      // closed
    }
  }

  close(): void {
    for (const socket of [this.shell, this.control, this.stdin, this.iopub, this.hb]) socket.close();
    this.#temp.cleanup();
  }
}
