import type { Clock, Disposable, Logger } from '@studios/base';
import type { RuntimeDriver } from '@studios/runtime';
import type { KernelConnectionOptions } from '../client/connection-options';
import { KernelConnection } from '../client/kernel-connection';
import { type KernelProcess, portsOf } from '../launch/kernel-process';
import type { KernelPortHandle, KernelPorts } from '../ports/kernel-ports';
import type { KernelInfoReply } from '../wire/message-content';
import type { Kernel } from './kernel';
import type { KernelRecordStore } from './kernel-record-store';

/** Heartbeat and timing options passed to every connection the manager opens. */
export type ConnectionTuning = Pick<
  KernelConnectionOptions,
  'heartbeatIntervalMs' | 'heartbeatTimeoutMs' | 'heartbeatMisses' | 'outputGraceMs'
>;

/** A connection to one kernel process and the relays it runs over, owned and released together. */
export interface KernelSession extends Disposable {
  readonly connection: KernelConnection;
  readonly relays: KernelPortHandle;
  readonly info: KernelInfoReply;
}

/**
 * Opens relays to the process's ports, connects, and waits for `kernel_info` (and iopub) before
 * starting the heartbeat. Everything opened is released again if the kernel does not answer.
 */
export async function openKernelSession(
  studioId: string,
  process: KernelProcess,
  options: {
    ports: KernelPorts;
    clock: Clock;
    log: Logger;
    readyTimeoutMs: number;
    tuning: ConnectionTuning;
  },
): Promise<KernelSession> {
  const relays = await options.ports.open(studioId, portsOf(process.connection));
  let connection: KernelConnection | undefined;
  try {
    connection = new KernelConnection({
      ...options.tuning,
      endpoints: relays.endpoints,
      key: process.connection.key,
      signatureScheme: process.connection.signature_scheme,
      clock: options.clock,
      log: options.log,
    });
    const info = await connection.ready(options.readyTimeoutMs);
    connection.startHeartbeat();
    const opened = connection;
    return {
      connection: opened,
      relays,
      info,
      dispose: () => {
        opened.dispose();
        relays.dispose();
      },
    };
  } catch (error) {
    connection?.dispose();
    relays.dispose();
    throw error;
  }
}

/** What every kernel of a manager shares. */
export interface KernelContext {
  driver: RuntimeDriver;
  ports: KernelPorts;
  store: KernelRecordStore;
  clock: Clock;
  log: Logger;
  readyTimeoutMs: number;
  /** Shut down after this long without running anything; 0 never. */
  idleShutdownMs: number;
  tuning: ConnectionTuning;
  onIdle(kernel: Kernel): void;
  onBusyChange(kernel: Kernel, busy: boolean): void;
}
