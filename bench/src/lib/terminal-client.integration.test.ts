import type { AddressInfo } from 'node:net';
import { waitFor } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { TerminalClient } from './terminal-client';

/** A stand-in terminal socket speaking protocol/src/terminal.ts: hello, snapshot, then bytes. */
async function fakeTerminalServer() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const acks: number[] = [];
  const peers: WebSocket[] = [];
  server.on('connection', (socket) => {
    peers.push(socket);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString()) as { type: string; bytes?: number };
      if (message.type === 'ack') acks.push(message.bytes ?? 0);
    });
    socket.send(JSON.stringify({ type: 'hello', version: 1, terminal: {}, canWrite: true }));
    socket.send(JSON.stringify({ type: 'snapshot', data: 'studio@studio:/workspace$ ', cols: 80, rows: 24 }));
  });
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, acks, peer: () => peers[0] };
}

describe('TerminalClient', () => {
  let fake: Awaited<ReturnType<typeof fakeTerminalServer>> | undefined;
  let client: TerminalClient | undefined;

  afterEach(async () => {
    client?.dispose();
    await new Promise((resolve) => fake?.server.close(resolve));
  });

  it('sees the prompt of the first snapshot', async () => {
    fake = await fakeTerminalServer();
    client = await TerminalClient.attach(fake.url, {});
    expect(await client.waitForPrompt(5_000)).toBeGreaterThan(0);
  });

  it('acknowledges written output in steps of at least 5,000 bytes, all of it in the end', async () => {
    fake = await fakeTerminalServer();
    const attached = await TerminalClient.attach(fake.url, {});
    client = attached;
    for (let frame = 0; frame < 4; frame++) fake.peer()?.send(Buffer.alloc(3_000, 'a'), { binary: true });
    await waitFor(() => attached.bytesWritten === 12_000, { timeoutMs: 5_000 });
    const acks = fake.acks;
    await waitFor(() => acks.reduce((sum, bytes) => sum + bytes, 0) === 12_000, { timeoutMs: 5_000 });
    expect(acks.every((bytes) => bytes >= 5_000)).toBe(true);
  });

  it('finds a marker split across two frames', async () => {
    fake = await fakeTerminalServer();
    client = await TerminalClient.attach(fake.url, {});
    const found = client.waitForOutput('S5DONE7', 5_000);
    fake.peer()?.send(Buffer.from('xxS5DO'), { binary: true });
    fake.peer()?.send(Buffer.from('NE7\r\n'), { binary: true });
    expect((await found).at).toBeGreaterThan(0);
  });
});
