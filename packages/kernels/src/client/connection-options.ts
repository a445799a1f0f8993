import type { Clock, Logger } from '@studios/base';
import type { DropReason } from '../wire/jupyter-message';
import type { KernelEndpoints } from './kernel-sockets';

/** What the kernel says it is doing (iopub `status`), or `dead` once its heartbeat stopped. */
export type KernelActivity = 'starting' | 'idle' | 'busy' | 'dead';

/** Where a connection goes, how it signs, and how patient it is (defaults suit production). */
export interface KernelConnectionOptions {
  endpoints: KernelEndpoints;
  /** The connection file's `key`; messages without its HMAC are dropped. */
  key: string;
  /** The connection file's `signature_scheme`; only `hmac-sha256` is spoken. */
  signatureScheme?: string;
  clock?: Clock;
  log?: Logger;
  /** Heartbeat period and patience: dead after `heartbeatMisses` pings unanswered in `heartbeatTimeoutMs`. */
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  heartbeatMisses?: number;
  /** How long to wait after a request's reply for the iopub `idle` that ends its outputs. */
  outputGraceMs?: number;
}

/** Messages received, and dropped per reason (untrusted kernels: counted, never thrown). */
export interface ConnectionStats {
  received: number;
  dropped: Record<DropReason, number>;
}
