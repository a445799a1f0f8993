import { describe, expect, it } from 'vitest';
import { StreamDemuxer } from './stream-demux';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('StreamDemuxer', () => {
  it('separates stdout and stderr frames that arrive merged and split at any byte', () => {
    const wire = Buffer.concat([frame(1, 'hello '), frame(2, 'oops'), frame(1, 'world'), frame(2, '')]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const out: string[] = [];
      const err: string[] = [];
      const demux = new StreamDemuxer(
        (chunk) => out.push(chunk.toString()),
        (chunk) => err.push(chunk.toString()),
      );
      demux.push(wire.subarray(0, cut));
      demux.push(wire.subarray(cut));
      expect(out.join('')).toBe('hello world');
      expect(err.join('')).toBe('oops');
      expect(demux.bufferedBytes).toBe(0);
    }
  });

  it('keeps an incomplete frame until its remaining bytes arrive', () => {
    const out: string[] = [];
    const demux = new StreamDemuxer(
      (chunk) => out.push(chunk.toString()),
      () => {},
    );
    const wire = frame(1, 'abcdef');
    demux.push(wire.subarray(0, 10));
    expect(out).toEqual([]);
    expect(demux.bufferedBytes).toBe(10);
    demux.push(wire.subarray(10));
    expect(out).toEqual(['abcdef']);
  });
});
