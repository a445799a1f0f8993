/** A run that differs between `a` and `b`: `a[aStart, aEnd)` is replaced by `b[bStart, bEnd)`. */
export interface DiffHunk {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/**
 * Myers' O((N+M)·D) diff of two sequences of comparable tokens (numbers: interned lines or
 * code points). Returns the differing runs, or `null` when more than `maxEdits` insertions
 * plus deletions would be needed: the caller then falls back to one coarse replacement
 * instead of spending quadratic time and memory on a rewrite of the whole file.
 */
export function myersDiff(a: ArrayLike<number>, b: ArrayLike<number>, maxEdits: number): DiffHunk[] | null {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, maxEdits);
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  // trace[d] holds V[-d..d] after round d, enough to walk the path back.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && at(v, offset + k - 1) < at(v, offset + k + 1))
          ? at(v, offset + k + 1)
          : at(v, offset + k - 1) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(offset - d, offset + d + 1));
        return backtrack(trace, n, m);
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  return null;
}

function at(array: Int32Array, index: number): number {
  return array[index] ?? 0;
}

function backtrack(trace: Int32Array[], n: number, m: number): DiffHunk[] {
  // Single-token edits, collected from the end backwards.
  const edits: Array<{ kind: 'delete' | 'insert'; x: number; y: number }> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d - 1] as Int32Array;
    const k = x - y;
    // previous round's V is indexed by k + (d - 1)
    const down = k === -d || (k !== d && at(previous, k - 1 + d - 1) < at(previous, k + 1 + d - 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previous, previousK + d - 1);
    const previousY = previousX - previousK;
    if (down) {
      edits.push({ kind: 'insert', x: previousX, y: previousY });
    } else {
      edits.push({ kind: 'delete', x: previousX, y: previousY });
    }
    x = previousX;
    y = previousY;
  }
  edits.reverse();
  const hunks: DiffHunk[] = [];
  for (const edit of edits) {
    const last = hunks[hunks.length - 1];
    const aEnd = edit.kind === 'delete' ? edit.x + 1 : edit.x;
    const bEnd = edit.kind === 'insert' ? edit.y + 1 : edit.y;
    if (last && last.aEnd === edit.x && last.bEnd === edit.y) {
      last.aEnd = aEnd;
      last.bEnd = bEnd;
    } else {
      hunks.push({ aStart: edit.x, aEnd, bStart: edit.y, bEnd });
    }
  }
  return hunks;
}
