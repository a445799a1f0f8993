import type { NotebookUser } from '@studios/protocol';
import type { KernelProcess } from '../launch/kernel-process';
import type { StudioKernelSpec } from '../launch/kernelspecs';

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
