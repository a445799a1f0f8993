import { z } from 'zod';
import { ErrorCode } from '../errors';
import { FileEntry, WorkspacePath } from '../files';

/** Cap on any JSON message of the agent protocol (one frame). */
const Text = z.string().max(4096);
const Port = z.number().int().min(1).max(65535);
const Bytes = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Agent → server, first frame: who it is and which protocol it speaks. */
export const AgentHello = z.strictObject({
  type: z.literal('hello'),
  protocol: z.number().int(),
  agentVersion: Text,
  /** The secret the server gave this agent's start; proves which start this is. */
  token: z.string().min(16).max(128),
  pid: z.number().int(),
});
export type AgentHello = z.infer<typeof AgentHello>;

/** Server → agent, answer to the hello. */
export const AgentWelcome = z.strictObject({ type: z.literal('welcome'), protocol: z.number().int() });
export type AgentWelcome = z.infer<typeof AgentWelcome>;

/** A file's identity and content stamp, as the disk bridge compares them. */
export const AgentFileStamp = z.strictObject({
  ino: Bytes,
  mtimeMs: z.number(),
  size: Bytes,
  mode: z.number().int(),
  uid: z.number().int(),
  gid: z.number().int(),
});
export type AgentFileStamp = z.infer<typeof AgentFileStamp>;

/**
 * What a channel is opened for. `fs.*` are the files API; `doc.*` the disk bridge of live
 * documents; `fs.watch` streams tree changes; `port.connect` is a TCP connection to the
 * Studio's own 127.0.0.1. Paths are relative to the workspace and checked again by the agent.
 */
export const AgentRequest = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('fs.list'), maxEntries: z.number().int().min(1).max(1_000_000) }),
  z.strictObject({ op: z.literal('fs.stat'), path: WorkspacePath }),
  z.strictObject({ op: z.literal('fs.create'), path: WorkspacePath, kind: z.enum(['file', 'directory']) }),
  z.strictObject({ op: z.literal('fs.move'), from: WorkspacePath, to: WorkspacePath }),
  z.strictObject({ op: z.literal('fs.remove'), path: WorkspacePath }),
  z.strictObject({ op: z.literal('fs.read'), path: WorkspacePath }),
  z.strictObject({ op: z.literal('fs.write'), path: WorkspacePath, maxBytes: Bytes }),
  z.strictObject({ op: z.literal('fs.watch') }),
  z.strictObject({ op: z.literal('doc.read'), path: WorkspacePath, maxBytes: Bytes }),
  z.strictObject({ op: z.literal('doc.stamp'), path: WorkspacePath }),
  z.strictObject({
    op: z.literal('doc.write'),
    path: WorkspacePath,
    /** The file as the caller last saw it (null: missing); saves a stat on the hot path. */
    existing: AgentFileStamp.nullable().optional(),
  }),
  z.strictObject({ op: z.literal('doc.remove-if-same'), path: WorkspacePath, ino: Bytes }),
  z.strictObject({ op: z.literal('port.connect'), port: Port }),
]);
export type AgentRequest = z.infer<typeof AgentRequest>;
export type AgentOp = AgentRequest['op'];

/**
 * The failures an agent may report: what file and port operations inside a Studio can meet.
 * The agent speaks for whoever controls the Studio, and its codes reach other members' browsers
 * as HTTP statuses: one claiming `unauthorized` (401, "your session has ended") or
 * `rate_limited` is breaking the protocol, not reporting a failure.
 */
export const AGENT_FAILURE_CODES = [
  ErrorCode.InvalidRequest,
  ErrorCode.Forbidden,
  ErrorCode.NotFound,
  ErrorCode.PathOutsideWorkspace,
  ErrorCode.NotAFile,
  ErrorCode.FileTooLarge,
  ErrorCode.AlreadyExists,
  // The Studio's disk is full: the user frees space and tries again.
  ErrorCode.Conflict,
  ErrorCode.RuntimeError,
  ErrorCode.Internal,
] as const satisfies readonly ErrorCode[];
export type AgentFailureCode = (typeof AGENT_FAILURE_CODES)[number];

/** The first MESSAGE on every channel: success with the op's header, or a named failure. */
export const AgentFailure = z.strictObject({
  ok: z.literal(false),
  error: z.strictObject({
    code: z.enum(AGENT_FAILURE_CODES),
    message: Text,
  }),
});
export type AgentFailure = z.infer<typeof AgentFailure>;

/** A live document's file as the agent read it. */
export const AgentDocRead = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), hash: z.string().length(64), stamp: AgentFileStamp }),
  z.strictObject({ kind: z.literal('missing') }),
  z.strictObject({ kind: z.literal('unsupported'), reason: Text }),
  z.strictObject({ kind: z.literal('not-a-file') }),
]);
export type AgentDocRead = z.infer<typeof AgentDocRead>;

/** One change of the workspace tree (the `files` event carries a batch of these). */
export const AgentTreeChange = z.strictObject({
  kind: z.enum(['added', 'changed', 'removed']),
  path: z.string().max(4096),
  entry: FileEntry.optional(),
});
export type AgentTreeChange = z.infer<typeof AgentTreeChange>;

/**
 * The success header of each op. `fs.list`, `fs.read` and `doc.read` follow theirs with DATA
 * (a JSON array of entries; the file's bytes; the document's UTF-8 text) and END.
 */
export const AgentReply = {
  'fs.list': z.strictObject({ ok: z.literal(true), truncated: z.boolean() }),
  'fs.stat': z.strictObject({ ok: z.literal(true), entry: FileEntry }),
  'fs.create': z.strictObject({ ok: z.literal(true), entry: FileEntry }),
  'fs.move': z.strictObject({ ok: z.literal(true), entry: FileEntry }),
  'fs.remove': z.strictObject({ ok: z.literal(true) }),
  'fs.read': z.strictObject({ ok: z.literal(true), entry: FileEntry }),
  'fs.write': z.strictObject({ ok: z.literal(true), entry: FileEntry }),
  'fs.watch': z.strictObject({ ok: z.literal(true) }),
  'doc.read': z.strictObject({ ok: z.literal(true), file: AgentDocRead }),
  'doc.stamp': z.strictObject({ ok: z.literal(true), stamp: AgentFileStamp.nullable() }),
  'doc.write': z.strictObject({ ok: z.literal(true), stamp: AgentFileStamp }),
  'doc.remove-if-same': z.strictObject({ ok: z.literal(true), removed: z.boolean() }),
  'port.connect': z.strictObject({ ok: z.literal(true) }),
} as const satisfies Record<AgentOp, z.ZodType>;

/** Each later MESSAGE of an `fs.watch` channel: a batch of tree changes. */
export const AgentWatchEvent = z.strictObject({ changes: z.array(AgentTreeChange).max(1000) });
export type AgentWatchEvent = z.infer<typeof AgentWatchEvent>;

/** Optional payload of CLOSE: why the channel ended early. */
export const AgentChannelClose = z.strictObject({ reason: Text });
