import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostFileServer } from './host-file-server';
import { downloadBytes, uploadBytes } from './http-transfer';

// The transfer client against the host-file floor, over a real loopback socket.
describe('uploadBytes / downloadBytes against the host-file floor', () => {
  const temp = tempDir('studios-bench-floor-');
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = createHostFileServer(temp.dir);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    temp.cleanup();
  });

  it('uploads chunks into the file and downloads them back, byte for byte', async () => {
    const chunk = Buffer.from(Array.from({ length: 65_536 }, (_unused, index) => index % 251));
    const chunks = [chunk, chunk.subarray(0, 1000), chunk];
    const url = `${base}/files/content?path=big.bin`;
    const reply = JSON.parse(await uploadBytes(url, {}, chunks)) as { size: number };
    expect(reply.size).toBe(132_072);
    expect(await readFile(join(temp.dir, 'big.bin'))).toEqual(Buffer.concat(chunks));
    expect(await downloadBytes(url, {})).toBe(132_072);
  });

  it('replaces an existing file and leaves no temp file behind', async () => {
    const url = `${base}/files/content?path=small.txt`;
    await uploadBytes(url, {}, [Buffer.from('first version, longer')]);
    await uploadBytes(url, {}, [Buffer.from('second')]);
    expect(await readFile(join(temp.dir, 'small.txt'), 'utf8')).toBe('second');
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(temp.dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('fails with the status and body of a refused request', async () => {
    await expect(downloadBytes(`${base}/files/content?path=missing.bin`, {})).rejects.toThrow(/HTTP 500/);
    await expect(
      uploadBytes(`${base}/files/content?path=../escape.bin`, {}, [Buffer.from('x')]),
    ).rejects.toThrow(/HTTP 404/);
  });
});
