import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DELIMITER,
  decodeMessage,
  encodeMessage,
  MAX_FRAMES,
  MAX_MESSAGE_BYTES,
  MessageSigner,
  newHeader,
  parentId,
} from './jupyter-message';

const signer = new MessageSigner('secret-key');
const header = newHeader('execute_request', 'session-1');

describe('Jupyter wire messages', () => {
  it('round-trips every part, with routing ids and binary buffers', () => {
    const frames = encodeMessage(signer, {
      identities: [Buffer.from('id-1')],
      header,
      parentHeader: newHeader('kernel_info_request', 'session-1'),
      metadata: { cell: 'a' },
      content: { code: '1+1' },
      buffers: [Buffer.from([0, 1, 2])],
    });
    expect(frames[1]).toEqual(DELIMITER);
    const decoded = decodeMessage(signer, frames);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.message.identities).toEqual([Buffer.from('id-1')]);
    expect(decoded.message.header).toEqual(header);
    expect(decoded.message.metadata).toEqual({ cell: 'a' });
    expect(decoded.message.content).toEqual({ code: '1+1' });
    expect(decoded.message.buffers).toEqual([Buffer.from([0, 1, 2])]);
    expect(parentId(decoded.message)).toBeDefined();
  });

  it('signs with HMAC-SHA256 over header, parent, metadata and content (the spec example)', () => {
    const frames = encodeMessage(signer, { header, content: {} });
    const expected = createHmac('sha256', 'secret-key');
    for (const frame of frames.slice(2, 6)) expected.update(frame);
    expect(frames[1]?.toString()).toBe(expected.digest('hex'));
  });

  it('refuses a wrong signature, a wrong key and a tampered content', () => {
    const frames = encodeMessage(signer, { header, content: { a: 1 } });
    expect(decodeMessage(new MessageSigner('other'), frames)).toEqual({ ok: false, reason: 'bad-signature' });
    const tampered = [...frames];
    tampered[5] = Buffer.from('{"a":2}');
    expect(decodeMessage(signer, tampered)).toEqual({ ok: false, reason: 'bad-signature' });
    const short = [...frames];
    short[1] = Buffer.from('abc');
    expect(decodeMessage(signer, short)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('drops garbage without throwing: no delimiter, missing frames, bad JSON, bad header', () => {
    expect(decodeMessage(signer, [Buffer.from('hello')])).toEqual({ ok: false, reason: 'malformed' });
    expect(decodeMessage(signer, [DELIMITER, Buffer.from('x')])).toEqual({ ok: false, reason: 'malformed' });
    const unsigned = new MessageSigner('');
    const badJson = [
      DELIMITER,
      Buffer.from(''),
      Buffer.from('{'),
      Buffer.from('{}'),
      Buffer.from('{}'),
      Buffer.from('{}'),
    ];
    expect(decodeMessage(unsigned, badJson)).toEqual({ ok: false, reason: 'malformed' });
    const badHeader = [
      DELIMITER,
      Buffer.from(''),
      Buffer.from('{"msg_id":3}'),
      Buffer.from('{}'),
      Buffer.from('{}'),
      Buffer.from('{}'),
    ];
    expect(decodeMessage(unsigned, badHeader)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('drops oversized messages before parsing them', () => {
    const big = encodeMessage(signer, { header, content: {}, buffers: [Buffer.alloc(MAX_MESSAGE_BYTES)] });
    expect(decodeMessage(signer, big)).toEqual({ ok: false, reason: 'oversized' });
    const many = encodeMessage(signer, {
      header,
      content: {},
      buffers: Array.from({ length: MAX_FRAMES }, () => Buffer.alloc(1)),
    });
    expect(decodeMessage(signer, many)).toEqual({ ok: false, reason: 'oversized' });
  });
});
