import {
  type Clock,
  type Disposable,
  ListenerSet,
  type Logger,
  silentLogger,
  systemClock,
} from '@studios/base';
import { ErrorCode, StudiosError } from '@studios/protocol';
import {
  decodeMessage,
  encodeMessage,
  type JupyterMessage,
  type MessageHeader,
  MessageSigner,
  newHeader,
  newSessionId,
  parentId,
} from '../wire/jupyter-message';
import {
  ExecuteReply,
  InputRequest,
  IopubContent,
  type IopubType,
  KernelInfoReply,
  StatusReply,
} from '../wire/message-content';
import { toExecuteEvent } from '../wire/nbformat-output';
import type { ConnectionStats, KernelActivity, KernelConnectionOptions } from './connection-options';
import { deliver, type ExecuteOptions, type ExecuteResult, type Execution } from './execution';
import { watchHeartbeat } from './heartbeat';
import { type KernelChannel, KernelSockets } from './kernel-sockets';

/**
 * One Jupyter client connection to one kernel: requests and their replies over shell/control,
 * outputs over iopub, prompts over stdin, liveness over heartbeat. Spec:
 * https://jupyter-client.readthedocs.io/en/stable/messaging.html (5.3).
 */
export class KernelConnection implements Disposable {
  readonly session = newSessionId();
  readonly stats: ConnectionStats = {
    received: 0,
    dropped: { oversized: 0, malformed: 0, 'bad-signature': 0 },
  };
  readonly #signer: MessageSigner;
  readonly #sockets: KernelSockets;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #options: KernelConnectionOptions;
  readonly #activity = new ListenerSet<KernelActivity>();
  readonly #executions = new Map<string, Execution>();
  readonly #replies = new Map<string, (message: JupyterMessage) => void>();
  /** The prompt waiting for an answer, and the run that asked (a prompt ends with its run). */
  #pendingInput: { request: MessageHeader; runId: string } | undefined;
  #sawIopub = false;
  #onIopub: (() => void) | undefined;
  #heartbeat: Disposable | undefined;
  #disposed = false;

  constructor(options: KernelConnectionOptions) {
    if ((options.signatureScheme ?? 'hmac-sha256') !== 'hmac-sha256') {
      throw new StudiosError(
        ErrorCode.KernelUnavailable,
        `Unsupported signature scheme ${options.signatureScheme}`,
      );
    }
    this.#options = options;
    this.#signer = new MessageSigner(options.key);
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
    this.#sockets = new KernelSockets(options.endpoints, {
      identity: this.session,
      log: this.#log,
      onMessage: (channel, frames) => this.#receive(channel, frames),
    });
  }

  /** Status changes from iopub, and `dead` when the heartbeat stops. */
  onActivity(listener: (activity: KernelActivity) => void): Disposable {
    return this.#activity.add(listener);
  }

  /** Executions under way (queued in the kernel or running). */
  get pendingExecutions(): number {
    return this.#executions.size;
  }

  /**
   * Resends `kernel_info_request` until it is answered and iopub has delivered a message: a SUB
   * socket misses everything published before its subscription reached the kernel (late joiner),
   * so a reply alone does not prove outputs will arrive.
   */
  async ready(timeoutMs = 30_000, resendMs = 500): Promise<KernelInfoReply> {
    const deadline = this.#clock.now() + timeoutMs;
    let info: KernelInfoReply | undefined;
    while (!this.#disposed) {
      const reply = await this.#request('shell', 'kernel_info_request', {}, resendMs).catch(() => undefined);
      const parsed = reply && KernelInfoReply.safeParse(reply.content);
      if (parsed?.success) info = parsed.data;
      else if (parsed) this.stats.dropped.malformed += 1;
      // Answered but iopub still silent: give the subscription a moment before asking again.
      if (info && !this.#sawIopub) await this.#iopubWithin(resendMs);
      if (info && this.#sawIopub) return info;
      if (this.#clock.now() >= deadline) break;
    }
    throw new StudiosError(ErrorCode.RuntimeError, `The kernel did not answer within ${timeoutMs / 1000} s.`);
  }

  #iopubWithin(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(resolve, ms);
      this.#onIopub = () => {
        timer.dispose();
        resolve();
      };
    });
  }

  /** Starts watching the heartbeat (after {@link ready}, so a slow start is not a death). */
  startHeartbeat(): void {
    if (this.#heartbeat || this.#disposed) return;
    this.#heartbeat = watchHeartbeat({
      clock: this.#clock,
      ping: () => this.#sockets.ping(this.#clock, this.#options.heartbeatTimeoutMs ?? 3000),
      intervalMs: this.#options.heartbeatIntervalMs ?? 3000,
      misses: this.#options.heartbeatMisses ?? 3,
      onDead: () => {
        this.#heartbeat = undefined;
        this.abortAll();
        this.#activity.emit('dead');
      },
    });
  }

  /** Stops heartbeat checks (a restart or shutdown is about to silence the kernel on purpose). */
  stopHeartbeat(): void {
    this.#heartbeat?.dispose();
    this.#heartbeat = undefined;
  }

  /** Runs `code`; resolves when its reply and its last output have arrived. */
  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    if (this.#disposed) return Promise.reject(notRunning());
    const header = newHeader('execute_request', this.session);
    const content = {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: options.allowStdin ?? false,
      stop_on_error: options.stopOnError ?? true,
    };
    return new Promise((resolve) => {
      const execution: Execution = {
        options,
        idle: false,
        finish: (result) => {
          execution.grace?.dispose();
          this.#executions.delete(header.msg_id);
          // An interrupted input() leaves its prompt unanswered: it is no longer current.
          if (this.#pendingInput?.runId === header.msg_id) this.#pendingInput = undefined;
          resolve(result);
        },
      };
      this.#executions.set(header.msg_id, execution);
      void this.#sockets.send('shell', encodeMessage(this.#signer, { header, content })).then((sent) => {
        if (!sent) execution.finish({ status: 'aborted', executionCount: null });
      });
    });
  }

  /** Answers the pending `input()` prompt; false when none is pending. */
  inputReply(value: string): boolean {
    const parent = this.#pendingInput?.request;
    if (!parent) return false;
    this.#pendingInput = undefined;
    const header = newHeader('input_reply', this.session);
    void this.#sockets.send(
      'stdin',
      encodeMessage(this.#signer, { header, parentHeader: parent, content: { value } }),
    );
    return true;
  }

  /** Whether an `input()` prompt waits for {@link inputReply}. */
  get awaitingInput(): boolean {
    return this.#pendingInput !== undefined;
  }

  /** `interrupt_request` on control (kernels whose spec says `interrupt_mode: message`). */
  async interrupt(timeoutMs = 5000): Promise<void> {
    const reply = await this.#request('control', 'interrupt_request', {}, timeoutMs);
    if (!StatusReply.safeParse(reply.content).success) this.stats.dropped.malformed += 1;
  }

  /** `shutdown_request` on control; resolves on the reply (or rejects after `timeoutMs`). */
  async shutdown(restart: boolean, timeoutMs = 5000): Promise<void> {
    this.stopHeartbeat();
    await this.#request('control', 'shutdown_request', { restart }, timeoutMs);
  }

  /** Ends every pending execution as `aborted` (the kernel died, restarts or shuts down). */
  abortAll(): void {
    this.#pendingInput = undefined;
    for (const execution of [...this.#executions.values()])
      execution.finish({ status: 'aborted', executionCount: null });
  }

  #request(
    channel: 'shell' | 'control',
    msgType: string,
    content: unknown,
    timeoutMs: number,
  ): Promise<JupyterMessage> {
    if (this.#disposed) return Promise.reject(notRunning());
    const header = newHeader(msgType, this.session);
    return new Promise((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        this.#replies.delete(header.msg_id);
        reject(
          new StudiosError(ErrorCode.RuntimeError, `No ${msgType.replace('_request', '_reply')} in time.`),
        );
      }, timeoutMs);
      this.#replies.set(header.msg_id, (message) => {
        timer.dispose();
        this.#replies.delete(header.msg_id);
        resolve(message);
      });
      void this.#sockets.send(channel, encodeMessage(this.#signer, { header, content }));
    });
  }

  #receive(channel: KernelChannel, frames: Buffer[]): void {
    const decoded = decodeMessage(this.#signer, frames);
    if (!decoded.ok) {
      this.stats.dropped[decoded.reason] += 1;
      this.#log.debug('dropped a kernel message', { channel, reason: decoded.reason });
      return;
    }
    this.stats.received += 1;
    const message = decoded.message;
    const parent = parentId(message);
    if (channel === 'iopub') this.#iopub(message);
    else if (channel === 'stdin') this.#stdin(message);
    else if (message.header.msg_type === 'execute_reply' && parent) this.#executeReply(parent, message);
    else if (parent) this.#replies.get(parent)?.(message);
  }

  #iopub(message: JupyterMessage): void {
    this.#sawIopub = true;
    this.#onIopub?.();
    this.#onIopub = undefined;
    const type = message.header.msg_type;
    if (!(type in IopubContent)) return;
    const parsed = IopubContent[type as IopubType].safeParse(message.content);
    if (!parsed.success) {
      this.stats.dropped.malformed += 1;
      return;
    }
    const parent = parentId(message);
    const execution = parent === undefined ? undefined : this.#executions.get(parent);
    if (type === 'status') {
      const state = (parsed.data as { execution_state: string }).execution_state;
      if (state === 'idle' || state === 'busy' || state === 'starting') this.#activity.emit(state);
      if (state === 'idle' && execution) {
        execution.idle = true;
        if (execution.reply) this.#finish(execution);
      }
      return;
    }
    const event = toExecuteEvent(type as IopubType, parsed.data);
    if (event && execution) deliver(execution, event);
  }

  #stdin(message: JupyterMessage): void {
    if (message.header.msg_type !== 'input_request') return;
    const parsed = InputRequest.safeParse(message.content);
    const parent = parentId(message);
    const execution = parent === undefined ? undefined : this.#executions.get(parent);
    if (!parsed.success || !execution?.options.allowStdin || !('msg_id' in message.parentHeader)) {
      this.stats.dropped.malformed += 1;
      return;
    }
    // The reply's parent is the input_request itself (spec: stdin channel).
    this.#pendingInput = { request: message.header, runId: message.parentHeader.msg_id };
    deliver(execution, { type: 'input_request', prompt: parsed.data.prompt, password: parsed.data.password });
  }

  #executeReply(parent: string, message: JupyterMessage): void {
    const execution = this.#executions.get(parent);
    const reply = ExecuteReply.safeParse(message.content);
    if (!execution) return;
    if (!reply.success) {
      this.stats.dropped.malformed += 1;
      return;
    }
    execution.reply = reply.data;
    if (execution.idle) {
      this.#finish(execution);
      return;
    }
    // Outputs normally end with iopub idle; a lost one (relay reconnect) must not hang the run.
    execution.grace = this.#clock.setTimeout(
      () => this.#finish(execution),
      this.#options.outputGraceMs ?? 2000,
    );
  }

  #finish(execution: Execution): void {
    const reply = execution.reply;
    if (!reply) return;
    execution.finish({ status: reply.status, executionCount: reply.execution_count ?? null });
  }

  /** For leak tests: whether every ZeroMQ socket is closed. */
  get closed(): boolean {
    return this.#sockets.allClosed;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.stopHeartbeat();
    this.abortAll();
    this.#disposed = true;
    this.#sockets.dispose();
    this.#activity.clear();
  }
}

function notRunning(): StudiosError {
  return new StudiosError(ErrorCode.KernelNotRunning, 'The kernel connection is closed.');
}
