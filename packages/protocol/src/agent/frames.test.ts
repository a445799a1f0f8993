import { describe, expect, it } from 'vitest';
import {
  AGENT_MAX_FRAME_PAYLOAD,
  AgentFrameDecoder,
  AgentFrameType,
  AgentProtocolError,
  encodeAgentFrame,
  encodeAgentFrameHeader,
} from './frames';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('agent frames', () => {
  it('decodes frames however the stream is cut: whole, split anywhere, or byte by byte', () => {
    const stream = new Uint8Array([
      ...encodeAgentFrame(AgentFrameType.Data, 7, bytes(1, 2, 3)),
      ...encodeAgentFrame(AgentFrameType.End, 7),
      ...encodeAgentFrame(AgentFrameType.Message, 8, new TextEncoder().encode('{"ok":true}')),
    ]);
    const cuts = [[stream.length], [5], [9, 3], Array.from({ length: stream.length }, () => 1)];
    for (const sizes of cuts) {
      const decoder = new AgentFrameDecoder();
      const frames = [];
      let offset = 0;
      for (let i = 0; offset < stream.length; i++) {
        const size = sizes[i % sizes.length] ?? 1;
        frames.push(...decoder.push(stream.slice(offset, offset + size)));
        offset += size;
      }
      expect(frames.map((frame) => [frame.type, frame.channel, [...frame.payload]])).toEqual([
        [AgentFrameType.Data, 7, [1, 2, 3]],
        [AgentFrameType.End, 7, []],
        [AgentFrameType.Message, 8, [...new TextEncoder().encode('{"ok":true}')]],
      ]);
      expect(decoder.pendingBytes).toBe(0);
    }
  });

  it('refuses an oversized or unknown frame from its header, before buffering its payload', () => {
    const huge = new Uint8Array(9);
    new DataView(huge.buffer).setUint32(0, 0xffffffff);
    huge[4] = AgentFrameType.Data;
    expect(() => new AgentFrameDecoder().push(huge)).toThrow(AgentProtocolError);
    const unknown = encodeAgentFrame(AgentFrameType.Data, 1, bytes(1));
    unknown[4] = 200;
    expect(() => new AgentFrameDecoder().push(unknown)).toThrow(/unknown frame type 200/);
    expect(() => encodeAgentFrameHeader(AgentFrameType.Data, 1, AGENT_MAX_FRAME_PAYLOAD + 1)).toThrow(
      RangeError,
    );
  });
});
