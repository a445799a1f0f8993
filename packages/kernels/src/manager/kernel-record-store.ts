import { NotebookUser } from '@studios/protocol';
import { z } from 'zod';
import { ConnectionInfo, type KernelProcess } from '../launch/kernel-process';
import { StudioKernelSpec } from '../launch/kernelspecs';

/**
 * What the server must remember about a running kernel to reach it again after its own restart:
 * which notebook it serves, its spec, its pid and its connection file (ports and HMAC key).
 */
export interface KernelRecord {
  studioId: string;
  /** The notebook's workspace path. */
  path: string;
  spec: StudioKernelSpec;
  process: KernelProcess;
  /** ISO time the kernel process started. */
  startedAt: string;
  startedBy: NotebookUser | null;
}

/**
 * A record as JSON, for stores that keep it as text (the server's SQLite): parse what is read
 * back with it, so a damaged row is a forgotten kernel rather than a crash.
 */
export const KernelRecordJson: z.ZodType<KernelRecord> = z.object({
  studioId: z.string(),
  path: z.string(),
  spec: StudioKernelSpec.extend({ name: z.string() }),
  process: z.object({
    pid: z.number().int().positive(),
    connectionFile: z.string(),
    connection: ConnectionInfo,
  }),
  startedAt: z.string(),
  startedBy: NotebookUser.nullable(),
});

/**
 * Where kernel records live: the server keeps them in SQLite; {@link InMemoryKernelRecordStore}
 * serves tests. The key is (studioId, path): one kernel per notebook.
 */
export interface KernelRecordStore {
  list(): Promise<KernelRecord[]>;
  /** Inserts or replaces the record of (studioId, path). */
  put(record: KernelRecord): Promise<void>;
  delete(studioId: string, path: string): Promise<void>;
}

/** Records in memory (tests; a server without persistence forgets kernels when it stops). */
export class InMemoryKernelRecordStore implements KernelRecordStore {
  readonly #records = new Map<string, KernelRecord>();

  async list(): Promise<KernelRecord[]> {
    return [...this.#records.values()].map((record) => structuredClone(record));
  }

  async put(record: KernelRecord): Promise<void> {
    this.#records.set(recordKey(record.studioId, record.path), structuredClone(record));
  }

  async delete(studioId: string, path: string): Promise<void> {
    this.#records.delete(recordKey(studioId, path));
  }
}

/** One notebook's key: a Studio id cannot contain NUL, so the pair is unambiguous. */
export function recordKey(studioId: string, path: string): string {
  return `${studioId}\u0000${path}`;
}
