/**
 * How a fake agent misbehaves. Each is something a Studio user could run instead of the real
 * agent (the agent's container is theirs): the server must survive it with a clear error.
 */
export type FakeAgentMode =
  /** After the welcome, answers the first request with an endless stream of 0xff bytes. */
  | 'garbage'
  /** Answers with a frame header announcing a ~4 GB payload, then streams zeros. */
  | 'huge-frame'
  /** Answers with a frame of a type the protocol does not have. */
  | 'unknown-type'
  /** Answers `fs.read` with a valid header, then DATA without regard for the channel window. */
  | 'overrun'
  /** Answers `fs.stat`; floods `fs.watch` with MESSAGEs without regard for the window. */
  | 'watch-flood'
  /** Answers every request with a reply header that fits no schema. */
  | 'malformed-reply'
  /**
   * Answers every `fs.list` with a valid header and then 31 MB of listing (within the reply
   * cap), honouring the window, and never its END.
   */
  | 'list-flood'
  /** Answers every `fs.read` with a valid header and as much of a 1 GB file as its window allows. */
  | 'read-fill'
  /** Answers `fs.stat`; once the server has closed that channel, streams DATA for it. */
  | 'late-data'
  /** Answers `fs.read` with a valid header, then streams empty DATA frames (free of window). */
  | 'empty-data'
  /** Streams WINDOW frames of 1 byte for every channel it is given, never answering. */
  | 'window-flood'
  /** Stops reading its socket and sends PINGs as fast as it can. */
  | 'ping-flood'
  /** Fails every request with `unauthorized`, a code no agent operation can meet. */
  | 'foreign-failure'
  /** Says hello, then never answers a request, a ping, nor grants any window (hung). */
  | 'silent'
  /**
   * Answers `fs.list` with a valid header and `fs.read` with a header and 100 of its 1000
   * bytes, then sends nothing more, nor answers a ping.
   */
  | 'stall-after-header'
  /**
   * Says hello and answers `fs.stat`, then opens {@link FAKE_AGENT_FLOOD_CONNECTIONS} more
   * connections, each sending most of a large hello frame; once the server has closed them all,
   * prints `flood <ms>`, the median time each was kept open.
   */
  | 'connection-flood'
  /** Says hello with a token of its own making. */
  | 'wrong-token'
  /** Connects and sends the first KB of a hello frame, then nothing. */
  | 'no-hello'
  /** Says hello and exits as soon as it is welcomed. */
  | 'die-after-hello';

/** Bytes a streaming fake tries to push before giving up (far more than the server may hold). */
export const FAKE_AGENT_STREAM_BYTES = 256 * 1024 * 1024;
/** Connections the `connection-flood` fake opens, each sending 60 KB of a hello it never finishes. */
export const FAKE_AGENT_FLOOD_CONNECTIONS = 400;

/**
 * The fake agent, plain Node with no imports of ours: it speaks the wire format by hand (see
 * the protocol's `agent/frames.ts`), takes the socket from `--connect` and the token from
 * `STUDIOS_AGENT_TOKEN`, as the real agent does, and its mode from `FAKE_AGENT_MODE`. It does
 * not exit when the server closes its connection (a hostile agent lingers); SIGTERM ends it.
 * It prints `closed <ms>` when the server closes its connection, `ms` after connecting.
 */
export const FAKE_AGENT_SCRIPT = `
import { connect } from 'node:net';

const args = process.argv.slice(2);
const socketPath = args[args.indexOf('--connect') + 1];
const mode = process.env.FAKE_AGENT_MODE;
const STREAM_BYTES = ${FAKE_AGENT_STREAM_BYTES};
const FLOOD_CONNECTIONS = ${FAKE_AGENT_FLOOD_CONNECTIONS};
const token = mode === 'wrong-token' ? 'not-the-token-' + 'x'.repeat(24) : process.env.STUDIOS_AGENT_TOKEN;

function frame(type, channel, payload = Buffer.alloc(0)) {
  const header = Buffer.alloc(9);
  header.writeUInt32BE(payload.length, 0);
  header.writeUInt8(type, 4);
  header.writeUInt32BE(channel, 5);
  return Buffer.concat([header, payload]);
}
const json = (value) => Buffer.from(JSON.stringify(value));
const entry = (path, size) => ({ path, name: path, kind: 'file', size, mtimeMs: 1 });

// A hostile agent outlives its connection: only a signal ends it.
setInterval(() => {}, 1 << 30);

function halfHello() {
  const header = Buffer.alloc(9);
  header.writeUInt32BE(60 * 1024, 0);
  header.writeUInt8(1, 4);
  return Buffer.concat([header, Buffer.alloc(60 * 1024 - 1, 0x20)]);
}

function flood() {
  const lifetimes = [];
  for (let i = 0; i < FLOOD_CONNECTIONS; i++) {
    const extra = connect(socketPath);
    const opened = Date.now();
    extra.on('error', () => {});
    extra.on('connect', () => extra.write(halfHello()));
    extra.on('close', () => {
      lifetimes.push(Date.now() - opened);
      if (lifetimes.length < FLOOD_CONNECTIONS) return;
      lifetimes.sort((a, b) => a - b);
      console.log('flood ' + lifetimes[Math.floor(FLOOD_CONNECTIONS / 2)]);
    });
  }
}

const socket = connect(socketPath);
socket.on('error', () => {});
let open = true;
let connectedAt = 0;
socket.on('close', () => {
  open = false;
  console.log('closed ' + (Date.now() - connectedAt));
});

// A well-behaved sender of a hostile amount: a reply header, then DATA within the window granted.
const credit = new Map();
const creditWaiters = new Map();
function grant(id, bytes) {
  credit.set(id, (credit.get(id) ?? 0) + bytes);
  creditWaiters.get(id)?.();
}
/** Streams total bytes of DATA on channel id, within the window left after the header. */
async function windowed(id, total, header) {
  credit.set(id, 1024 * 1024 - header.length);
  socket.write(frame(3, id, header));
  let sent = 0;
  while (open && sent < total) {
    const available = credit.get(id) ?? 0;
    if (available <= 0) {
      await new Promise((resolve) => {
        creditWaiters.set(id, resolve);
        socket.once('close', resolve);
      });
      continue;
    }
    const size = Math.min(available, 64 * 1024, total - sent);
    credit.set(id, available - size);
    sent += size;
    if (!socket.write(frame(4, id, Buffer.alloc(size, 0x20)))) {
      await new Promise((resolve) => { socket.once('drain', resolve); socket.once('close', resolve); });
    }
  }
}

/** Writes chunks from make() until STREAM_BYTES or the socket closes, honouring backpressure only. */
async function stream(make) {
  let sent = 0;
  while (open && sent < STREAM_BYTES) {
    const chunk = make(sent);
    sent += chunk.length;
    if (!socket.write(chunk)) await new Promise((resolve) => { socket.once('drain', resolve); socket.once('close', resolve); });
  }
}

function hello() {
  socket.write(frame(1, 0, json({ type: 'hello', protocol: 1, agentVersion: 'fake', token, pid: process.pid })));
}

let buffer = Buffer.alloc(0);
let welcomed = false;
socket.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  while (buffer.length >= 9) {
    const length = buffer.readUInt32BE(0);
    if (buffer.length < 9 + length) break;
    const type = buffer.readUInt8(4);
    const channel = buffer.readUInt32BE(5);
    const payload = buffer.subarray(9, 9 + length);
    buffer = buffer.subarray(9 + length);
    onFrame(type, channel, payload);
  }
});

function onFrame(type, channel, payload) {
  if (type === 1 && !welcomed) {
    welcomed = true;
    if (mode === 'die-after-hello') process.exit(1);
    if (mode === 'connection-flood') flood();
    if (mode === 'ping-flood') {
      // Never reads another byte: every PONG the server sends stays with the server.
      socket.pause();
      const ping = frame(8, 0, Buffer.alloc(64, 0x70));
      const chunk = Buffer.concat(Array.from({ length: 1024 }, () => ping));
      void stream(() => chunk);
    }
    return;
  }
  // A hung agent answers nothing, pings included.
  if (type === 7) return void grant(channel, payload.readUInt32BE(0));
  if (type === 8 && mode !== 'silent' && mode !== 'stall-after-header') return void socket.write(frame(9, 0, payload));
  if (type !== 2) return;
  const request = JSON.parse(payload.toString('utf8'));
  onOpen(channel, request);
}

function onOpen(id, request) {
  switch (mode) {
    case 'garbage':
      return void stream(() => Buffer.alloc(64 * 1024, 0xff));
    case 'huge-frame': {
      const header = Buffer.alloc(9);
      header.writeUInt32BE(0xfffffff0, 0);
      header.writeUInt8(4, 4);
      header.writeUInt32BE(id, 5);
      socket.write(header);
      return void stream(() => Buffer.alloc(64 * 1024));
    }
    case 'unknown-type':
      return void socket.write(frame(42, id, json({ hello: 'there' })));
    case 'overrun':
      socket.write(frame(3, id, json({ ok: true, entry: entry(request.path ?? 'x', 10 * 2 ** 30) })));
      return void stream(() => frame(4, id, Buffer.alloc(64 * 1024, 0x61)));
    case 'connection-flood':
      return void socket.write(frame(3, id, json({ ok: true, entry: entry(request.path ?? 'x', 1) })));
    case 'watch-flood':
      if (request.op !== 'fs.watch') {
        return void socket.write(frame(3, id, json({ ok: true, entry: entry(request.path ?? 'x', 1) })));
      }
      socket.write(frame(3, id, json({ ok: true })));
      return void stream((sent) =>
        frame(3, id, json({ changes: [{ kind: 'added', path: 'flood-' + sent }] })),
      );
    case 'stall-after-header':
      if (request.op === 'fs.list') return void socket.write(frame(3, id, json({ ok: true, truncated: false })));
      if (request.op === 'fs.read') {
        socket.write(frame(3, id, json({ ok: true, entry: entry(request.path, 1000) })));
        return void socket.write(frame(4, id, Buffer.alloc(100, 0x73)));
      }
      return;
    case 'list-flood':
      if (request.op !== 'fs.list') return;
      return void windowed(id, 31 * 1024 * 1024, json({ ok: true, truncated: false }));
    case 'read-fill':
      if (request.op !== 'fs.read') return;
      return void windowed(id, 2 ** 30, json({ ok: true, entry: entry(request.path, 2 ** 30) }));
    case 'late-data':
      socket.write(frame(3, id, json({ ok: true, entry: entry(request.path ?? 'x', 1) })));
      return void stream(() => frame(4, id, Buffer.alloc(64 * 1024, 0x6c)));
    case 'empty-data':
      socket.write(frame(3, id, json({ ok: true, entry: entry(request.path ?? 'x', 2 ** 30) })));
      return void stream(() => Buffer.concat(Array.from({ length: 4096 }, () => frame(4, id))));
    case 'window-flood': {
      const grant = Buffer.alloc(4);
      grant.writeUInt32BE(1);
      return void stream(() => Buffer.concat(Array.from({ length: 4096 }, () => frame(7, id, grant))));
    }
    case 'foreign-failure':
      return void socket.write(
        frame(3, id, json({ ok: false, error: { code: 'unauthorized', message: 'Your session has ended.' } })),
      );
    case 'malformed-reply':
      return void socket.write(frame(3, id, json({ ok: true, entry: 'not an entry', extra: [1, 2, 3] })));
    default:
      // silent: the request (and any body) is never answered, no window is ever granted.
      return;
  }
}

socket.on('connect', () => {
  connectedAt = Date.now();
  // A hello short enough to be allowed, but never finished: only the deadline ends it.
  if (mode === 'no-hello') return void socket.write(halfHello().subarray(0, 9 + 1024));
  hello();
});
`;
