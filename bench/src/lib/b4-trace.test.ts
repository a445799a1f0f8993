import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyPatch, B4_TRACE_PATH, loadTrace, type PatchTarget, parseTrace } from './b4-trace';

/** A string model of a text: the reference a Y.Text replay must match. */
function stringModel(initial: string): PatchTarget & { value: string } {
  return {
    value: initial,
    delete(index, length) {
      this.value = this.value.slice(0, index) + this.value.slice(index + length);
    },
    insert(index, text) {
      this.value = this.value.slice(0, index) + text + this.value.slice(index);
    },
  };
}

describe('parseTrace', () => {
  const raw = {
    startContent: 'ab',
    endContent: 'xb!',
    txns: [{ patches: [[0, 1, 'x']] }, { patches: [[2, 0, '!']] }],
  };

  it('reads gzipped and plain JSON and flattens transactions into patches', () => {
    const json = Buffer.from(JSON.stringify(raw));
    for (const bytes of [json, gzipSync(json)]) {
      const trace = parseTrace(bytes);
      expect(trace.patches).toEqual([
        { position: 0, deleteCount: 1, insert: 'x' },
        { position: 2, deleteCount: 0, insert: '!' },
      ]);
      const model = stringModel(trace.startContent);
      for (const patch of trace.patches) applyPatch(model, patch);
      expect(model.value).toBe(trace.endContent);
    }
  });
});

describe('the B4 trace', () => {
  it('replays into a Y.Text exactly as into a string (first 5,000 patches)', async () => {
    const trace = await loadTrace(B4_TRACE_PATH);
    expect(trace.patches.length).toBe(259_778);
    const doc = new Y.Doc();
    const text = doc.getText('source');
    const model = stringModel(trace.startContent);
    for (const patch of trace.patches.slice(0, 5_000)) {
      doc.transact(() => applyPatch(text, patch));
      applyPatch(model, patch);
    }
    expect(text.toString()).toBe(model.value);
  });
});
