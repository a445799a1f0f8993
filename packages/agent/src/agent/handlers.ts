import {
  AGENT_FAILURE_CODES,
  type AgentFailureCode,
  type AgentRequest,
  ErrorCode,
  isStudiosError,
  StudiosError,
} from '@studios/protocol';
import type { MuxChannel } from '../mux/channel';
import { channelReadable } from '../mux/channel-streams';
import {
  ContentTooLargeError,
  formatBytes,
  readStamp,
  readTextFile,
  removeIfSame,
  writeFileAtomic,
} from './file-io';
import { connectPort } from './port-forward';
import type { TreeWatcher } from './tree-watcher';
import type { Workspace } from './workspace';
import { toWorkspaceError } from './workspace-error';

/** What the handlers work on: the workspace, and the one tree watcher shared by every watch channel. */
export interface HandlerContext {
  workspace: Workspace;
  treeWatcher(): Promise<TreeWatcher>;
}

type Handler<R extends AgentRequest> = (
  request: R,
  channel: MuxChannel,
  context: HandlerContext,
) => Promise<void>;
type Handlers = { [Op in AgentRequest['op']]: Handler<Extract<AgentRequest, { op: Op }>> };

/**
 * One function per operation. Each sends exactly one reply header (`{ok: true, …}`), then any
 * DATA and END; a failure becomes `{ok: false, error}` (see {@link runHandler}).
 */
const handlers: Handlers = {
  async 'fs.list'(request, channel, { workspace }) {
    const { entries, truncated } = await workspace.list(request.maxEntries);
    await channel.sendMessage({ ok: true, truncated });
    await channel.write(Buffer.from(JSON.stringify(entries)));
    await channel.end();
  },
  async 'fs.stat'(request, channel, { workspace }) {
    await channel.sendMessage({ ok: true, entry: await workspace.stat(request.path) });
  },
  async 'fs.create'(request, channel, { workspace }) {
    const entry =
      request.kind === 'file'
        ? await workspace.createFile(request.path)
        : await workspace.createDirectory(request.path);
    await channel.sendMessage({ ok: true, entry });
  },
  async 'fs.move'(request, channel, { workspace }) {
    await channel.sendMessage({ ok: true, entry: await workspace.move(request.from, request.to) });
  },
  async 'fs.remove'(request, channel, { workspace }) {
    await workspace.remove(request.path);
    await channel.sendMessage({ ok: true });
  },
  async 'fs.read'(request, channel, { workspace }) {
    const { entry, handle } = await workspace.open(request.path);
    await channel.sendMessage({ ok: true, entry }).catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    // The stream reads through the FileHandle, so the descriptor is closed once, by the handle.
    // (A stream on the raw fd closes that number on destroy whatever autoClose says; closing the
    // handle after it closed the number again, by then possibly another request's file.)
    const stream = handle.createReadStream({ highWaterMark: 64 * 1024 });
    try {
      for await (const chunk of stream) await channel.write(chunk as Buffer);
      await channel.end();
    } finally {
      stream.destroy();
    }
  },
  async 'fs.write'(request, channel, { workspace }) {
    const target = await workspace.writableFile(request.path);
    try {
      await writeFileAtomic(target, channelReadable(channel), { maxBytes: request.maxBytes });
    } catch (error) {
      if (error instanceof ContentTooLargeError) {
        throw new StudiosError(
          ErrorCode.FileTooLarge,
          `Uploads are limited to ${formatBytes(error.maxBytes)}`,
        );
      }
      // The folder may have gone (or become a link) since the check: a named error, not errno.
      throw toWorkspaceError(error, request.path);
    }
    await channel.sendMessage({ ok: true, entry: await workspace.stat(request.path) });
  },
  async 'fs.watch'(_request, channel, { treeWatcher }) {
    const watcher = await treeWatcher();
    const subscription = watcher.onChanges((batch) => {
      for (const changes of messageSized(batch)) {
        void channel.sendMessage({ changes }).catch(() => subscription.dispose());
      }
    });
    channel.onClose(() => subscription.dispose());
    await channel.sendMessage({ ok: true });
  },
  async 'doc.read'(request, channel, { workspace }) {
    const path = await workspace.documentFile(request.path);
    const { read, bytes } = await readTextFile(path, request.maxBytes);
    await channel.sendMessage({ ok: true, file: read });
    if (bytes) await channel.write(bytes);
    await channel.end();
  },
  async 'doc.stamp'(request, channel, { workspace }) {
    const path = await workspace.documentFile(request.path);
    await channel.sendMessage({ ok: true, stamp: await readStamp(path) });
  },
  async 'doc.write'(request, channel, { workspace }) {
    const path = await workspace.documentFile(request.path);
    const stamp = await writeFileAtomic(path, channelReadable(channel), {
      ...(request.existing !== undefined ? { existing: request.existing } : {}),
    });
    await channel.sendMessage({ ok: true, stamp });
  },
  async 'doc.remove-if-same'(request, channel, { workspace }) {
    const path = await workspace.documentFile(request.path);
    await channel.sendMessage({ ok: true, removed: await removeIfSame(path, request.ino) });
  },
  async 'port.connect'(request, channel) {
    await connectPort(request.port, channel);
  },
};

/** Splits a batch of tree changes into pieces whose JSON fits one frame (with room to spare). */
function* messageSized<T>(items: T[], maxBytes = 48 * 1024, maxItems = 1000): Generator<T[]> {
  let piece: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (piece.length > 0 && (bytes + size > maxBytes || piece.length >= maxItems)) {
      yield piece;
      piece = [];
      bytes = 0;
    }
    piece.push(item);
    bytes += size;
  }
  if (piece.length > 0) yield piece;
}

/** Runs the handler for `request`; a failure is sent as a named error and closes the channel. */
export async function runHandler(
  request: AgentRequest,
  channel: MuxChannel,
  context: HandlerContext,
): Promise<void> {
  try {
    await (handlers[request.op] as Handler<AgentRequest>)(request, channel, context);
  } catch (error) {
    if (channel.isClosed) return;
    const failure = describeFailure(error);
    await channel.sendMessage({ ok: false, error: failure }).catch(() => {});
    channel.close(failure.message);
  }
}

/** File-system failures a user can act on, in their words (never with a path of the Studio's disk). */
const ERRNO_FAILURES: Record<string, { code: AgentFailureCode; message: string }> = {
  ENOENT: { code: ErrorCode.NotFound, message: 'That file or folder does not exist' },
  ENOTDIR: { code: ErrorCode.NotFound, message: 'That file or folder does not exist' },
  EEXIST: { code: ErrorCode.AlreadyExists, message: 'That file or folder already exists' },
  EISDIR: { code: ErrorCode.NotAFile, message: 'That is a folder, not a file' },
  EACCES: {
    code: ErrorCode.Forbidden,
    message: 'The Studio user may not change that file (permission denied)',
  },
  EPERM: {
    code: ErrorCode.Forbidden,
    message: 'The Studio user may not change that file (permission denied)',
  },
  EROFS: { code: ErrorCode.Forbidden, message: 'That part of the Studio is read-only' },
  ENOSPC: { code: ErrorCode.Conflict, message: "The Studio's disk is full: free some space and try again" },
  EDQUOT: {
    code: ErrorCode.Conflict,
    message: "The Studio's disk quota is used up: free some space and try again",
  },
};

/**
 * A named error for the server; unexpected errors say only what kind they were (no host paths),
 * and a code outside the protocol's agent failures is reported as internal (the server would
 * take it for a broken agent).
 */
function describeFailure(error: unknown): { code: AgentFailureCode; message: string } {
  if (isStudiosError(error)) {
    const known = (AGENT_FAILURE_CODES as readonly string[]).includes(error.code);
    return {
      code: known ? (error.code as AgentFailureCode) : ErrorCode.Internal,
      message: error.message.slice(0, 4000),
    };
  }
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = errno ? ERRNO_FAILURES[errno] : undefined;
  if (known) return known;
  return { code: ErrorCode.Internal, message: errno ? `file system error ${errno}` : 'the agent failed' };
}
