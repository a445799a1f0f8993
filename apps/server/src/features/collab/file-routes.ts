import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { AgentFiles } from '@studios/agent';
import {
  ErrorCode,
  FileCreateBody,
  FileEntry,
  FileMoveBody,
  StudiosError,
  WorkspacePath,
} from '@studios/protocol';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../http/app-env';
import { requireStudioRole } from '../../http/authenticate';
import { type ApiRoute, defineRoute } from '../../http/route-table';
import { streamResponse } from '../../http/stream-response';

const TAG = 'files';
/** Uploads through `PUT …/files/content` may be this large. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** What the file routes need from the collab feature. */
export interface FileRoutesHost {
  /** The Studio's files, through its agent (inside the Studio, as the Studio user). */
  workspace(studioId: string): AgentFiles;
  /** Called after a rename/delete succeeded, so live documents follow. */
  moved(studioId: string, from: string, to: string): Promise<void>;
  deleted(studioId: string, path: string): Promise<void>;
  /** Someone looks at this Studio's files: make sure tree changes are published. */
  interested(studioId: string): void;
}

const FileList = z.object({ entries: z.array(FileEntry), truncated: z.boolean() });

function queryPath(value: string | undefined): string {
  const parsed = WorkspacePath.safeParse(value);
  if (!parsed.success)
    throw new StudiosError(ErrorCode.InvalidRequest, 'Give the file as ?path=<relative path>');
  return parsed.data;
}

/** JSON routes of the files API (listed in OpenAPI). */
export function fileApiRoutes(host: FileRoutesHost): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/studios/:id/files',
      tag: TAG,
      summary: "The Studio's whole file tree (folders first), capped at 10,000 entries",
      response: FileList,
      handler: (c) => {
        const { studio } = requireStudioRole(c, c.req.param('id') as string, 'viewer');
        host.interested(studio.id);
        return host.workspace(studio.id).list();
      },
    }),
    defineRoute({
      method: 'post',
      path: '/studios/:id/files',
      tag: TAG,
      summary: 'Create an empty file or a folder (parents are created)',
      body: FileCreateBody,
      response: FileEntry,
      status: 201,
      handler: (c, body) => {
        const { studio } = requireStudioRole(c, c.req.param('id') as string, 'editor');
        const workspace = host.workspace(studio.id);
        return body.kind === 'file' ? workspace.createFile(body.path) : workspace.createDirectory(body.path);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/studios/:id/files/move',
      tag: TAG,
      summary: 'Rename or move a file or folder (never replaces an existing one)',
      body: FileMoveBody,
      response: FileEntry,
      handler: async (c, body) => {
        const { studio } = requireStudioRole(c, c.req.param('id') as string, 'editor');
        const entry = await host.workspace(studio.id).move(body.from, body.to);
        await host.moved(studio.id, body.from, body.to);
        return entry;
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/studios/:id/files',
      tag: TAG,
      summary: 'Delete a file or a folder with everything in it (?path=)',
      handler: async (c) => {
        const { studio } = requireStudioRole(c, c.req.param('id') as string, 'editor');
        const path = queryPath(c.req.query('path'));
        await host.workspace(studio.id).remove(path);
        await host.deleted(studio.id, path);
      },
    }),
  ];
}

/** Raw-byte routes (download and upload), outside the JSON route table. */
export function fileContentRoutes(host: FileRoutesHost): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/studios/:id/files/content', async (c) => {
    const { studio } = requireStudioRole(c, c.req.param('id'), 'viewer');
    const path = queryPath(c.req.query('path'));
    const { entry, stream } = await host.workspace(studio.id).read(path);
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-length': String(entry.size),
      // Never rendered in our origin: user files may be HTML or SVG.
      'content-security-policy': "sandbox; default-src 'none'",
    };
    if (c.req.query('download') === '1') {
      headers['content-disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(entry.name)}`;
    }
    return streamResponse(c, stream, 200, headers);
  });
  app.put('/studios/:id/files/content', async (c) => {
    const { studio } = requireStudioRole(c, c.req.param('id'), 'editor');
    const path = queryPath(c.req.query('path'));
    const body = c.req.raw.body;
    const content = body ? Readable.fromWeb(body as NodeReadableStream<Uint8Array>) : new Uint8Array();
    const entry = await host.workspace(studio.id).write(path, content, { maxBytes: MAX_UPLOAD_BYTES });
    return c.json(entry, 201);
  });
  return app;
}
