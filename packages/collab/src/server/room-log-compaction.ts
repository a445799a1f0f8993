import * as Y from 'yjs';
import type { DocBase, UpdateLog } from '../persistence/update-log';

/** Log rows after which a doc's log is merged into one or two rows (keeps loads fast). */
const MERGE_AFTER_ROWS = 500;
/**
 * A doc's log is rewritten as its current state once the bytes logged since the last rewrite
 * pass this multiple of the state's size (and {@link REWRITE_MIN_BYTES}): re-running a cell
 * that draws a plot replaces megabytes of outputs each time, and the log must not keep them all
 * (merging rows keeps deleted content; encoding the live doc does not).
 */
const REWRITE_FACTOR = 4;
const REWRITE_MIN_BYTES = 1024 * 1024;

/** What a room should do to its log now. */
export type CompactionStep = 'rewrite' | 'merge' | null;

/** When a room's log is merged (by rows) or rewritten as the doc's state (by bytes). */
export class LogCompactionPolicy {
  #rows = 0;
  #bytesSince = 0;
  #stateBytes = 0;

  /** An update was logged. */
  logged(bytes: number): void {
    this.#bytesSince += bytes;
  }

  /** A commit of `rows` updates is done. */
  committed(rows: number): CompactionStep {
    this.#rows += rows;
    if (this.#bytesSince > REWRITE_FACTOR * Math.max(this.#stateBytes, REWRITE_MIN_BYTES)) return 'rewrite';
    if (this.#rows > MERGE_AFTER_ROWS) {
      this.#rows = 0;
      return 'merge';
    }
    return null;
  }

  /**
   * A room loaded these rows. A log far bigger than the doc (written before byte-based
   * compaction, or by a server that stopped before it ran) is rewritten right away.
   */
  loaded(rows: readonly Uint8Array[], stateBytes: () => number): CompactionStep {
    const bytes = rows.reduce((total, row) => total + row.length, 0);
    this.#stateBytes = bytes;
    if (bytes > REWRITE_FACTOR * REWRITE_MIN_BYTES) {
      this.#stateBytes = stateBytes();
      if (bytes > REWRITE_FACTOR * this.#stateBytes) return 'rewrite';
    }
    return rows.length > MERGE_AFTER_ROWS ? 'merge' : null;
  }

  /** The log was rewritten as a state of `stateBytes`. */
  rewritten(stateBytes: number): void {
    this.#rows = 0;
    this.#bytesSince = 0;
    this.#stateBytes = stateBytes;
  }
}

/**
 * The base to keep when the log is rewritten as the doc's state at `lastSeq`: the same base when
 * the doc is what the file holds (the new row is that state), else the base's state moved into
 * `extra` (at seq 0), with its deleted content collected too.
 */
export function baseAfterRewrite(
  log: UpdateLog,
  studioId: string,
  path: string,
  base: DocBase,
  lastSeq: number,
): DocBase {
  if (base.baseSeq === lastSeq && base.extra === null) return base;
  return { baseSeq: 0, extra: collectDeleted(log.baseState(studioId, path, base)), fileHash: base.fileHash };
}

/** An update's state with deleted content collected (ids kept), as a gc'ing doc encodes it. */
function collectDeleted(update: Uint8Array): Uint8Array {
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, update);
    return Y.encodeStateAsUpdate(scratch);
  } finally {
    scratch.destroy();
  }
}
