import {
  FileEntry,
  KernelSpecList,
  MachineType,
  Member,
  type NotebookClearOutputsBody,
  type NotebookInputBody,
  type NotebookKernelBody,
  type NotebookRunBody,
  type Role,
  SshConnectInfo,
  SshGatewayInfo,
  type SshKeyAddBody,
  SshKeySummary,
  SshSessionList,
  Studio,
  StudioRuntimeStatus,
  TerminalInfo,
  TokenCreated,
  TokenSummary,
  User,
} from '@studios/protocol';
import { type Parser, request, requestBlob } from './http';

const listOf = <T>(item: Parser<T>): Parser<T[]> => ({
  parse(data) {
    if (!Array.isArray(data)) throw new TypeError('expected an array');
    return data.map((entry) => item.parse(entry));
  },
});

const FileTree: Parser<{ entries: FileEntry[]; truncated: boolean }> = {
  parse(data) {
    const value = data as { entries?: unknown; truncated?: unknown } | null;
    return { entries: listOf(FileEntry).parse(value?.entries), truncated: value?.truncated === true };
  },
};

const studioPath = (id: string) => `/api/studios/${encodeURIComponent(id)}`;
const fileQuery = (path: string) => `path=${encodeURIComponent(path)}`;

/** The typed REST client: the only place (with the socket modules) that talks to the server. */
export const api = {
  auth: {
    me: () => request('GET', '/api/me', { schema: User }),
    signup: (body: { email: string; name: string; password: string }) =>
      request('POST', '/api/auth/signup', { body, schema: User }),
    login: (body: { email: string; password: string }) =>
      request('POST', '/api/auth/login', { body, schema: User }),
    logout: () => request('POST', '/api/auth/logout'),
  },
  /** Personal API tokens; `create` is the only answer that carries the secret. */
  tokens: {
    list: () => request('GET', '/api/tokens', { schema: listOf(TokenSummary) }),
    create: (name: string) => request('POST', '/api/tokens', { body: { name }, schema: TokenCreated }),
    revoke: (id: string) => request('DELETE', `/api/tokens/${encodeURIComponent(id)}`),
  },
  /** Remote-SSH: the gateway, your public keys, and how to reach one Studio over SSH. */
  ssh: {
    gateway: () => request('GET', '/api/ssh', { schema: SshGatewayInfo }),
    keys: {
      list: () => request('GET', '/api/ssh-keys', { schema: listOf(SshKeySummary) }),
      add: (body: SshKeyAddBody) => request('POST', '/api/ssh-keys', { body, schema: SshKeySummary }),
      remove: (keyId: string) => request('DELETE', `/api/ssh-keys/${encodeURIComponent(keyId)}`),
    },
    /** Owners and editors only: viewers get 403 `forbidden`. */
    connectInfo: (id: string) => request('GET', `${studioPath(id)}/ssh`, { schema: SshConnectInfo }),
    /** Who is connected over SSH now; the `ssh-sessions` event carries later changes. */
    sessions: (id: string) => request('GET', `${studioPath(id)}/ssh/sessions`, { schema: SshSessionList }),
  },
  studios: {
    list: () => request('GET', '/api/studios', { schema: listOf(Studio) }),
    get: (id: string) => request('GET', studioPath(id), { schema: Studio }),
    create: (body: { name: string; machineType?: string }) =>
      request('POST', '/api/studios', { body, schema: Studio }),
    rename: (id: string, name: string) =>
      request('PATCH', studioPath(id), { body: { name }, schema: Studio }),
    remove: (id: string) => request('DELETE', studioPath(id)),
    start: (id: string) => request('POST', `${studioPath(id)}/start`, { schema: StudioRuntimeStatus }),
    stop: (id: string) => request('POST', `${studioPath(id)}/stop`, { schema: StudioRuntimeStatus }),
    switchMachine: (id: string, machineType: string) =>
      request('POST', `${studioPath(id)}/machine`, { body: { machineType }, schema: StudioRuntimeStatus }),
  },
  machineTypes: () => request('GET', '/api/machine-types', { schema: listOf(MachineType) }),
  members: {
    list: (id: string) => request('GET', `${studioPath(id)}/members`, { schema: listOf(Member) }),
    add: (id: string, email: string, role: Role) =>
      request('POST', `${studioPath(id)}/members`, { body: { email, role }, schema: Member }),
    setRole: (id: string, userId: string, role: Role) =>
      request('PATCH', `${studioPath(id)}/members/${encodeURIComponent(userId)}`, { body: { role } }),
    remove: (id: string, userId: string) =>
      request('DELETE', `${studioPath(id)}/members/${encodeURIComponent(userId)}`),
  },
  files: {
    tree: (id: string) => request('GET', `${studioPath(id)}/files`, { schema: FileTree }),
    create: (id: string, path: string, kind: 'file' | 'directory') =>
      request('POST', `${studioPath(id)}/files`, { body: { path, kind }, schema: FileEntry }),
    move: (id: string, from: string, to: string) =>
      request('POST', `${studioPath(id)}/files/move`, { body: { from, to }, schema: FileEntry }),
    remove: (id: string, path: string) => request('DELETE', `${studioPath(id)}/files?${fileQuery(path)}`),
    upload: (id: string, path: string, content: Blob) =>
      request('PUT', `${studioPath(id)}/files/content?${fileQuery(path)}`, {
        body: content,
        schema: FileEntry,
      }),
    content: (id: string, path: string) => requestBlob(`${studioPath(id)}/files/content?${fileQuery(path)}`),
    /** A same-origin URL the browser downloads directly (the session cookie authorises it). */
    downloadUrl: (id: string, path: string) =>
      `${studioPath(id)}/files/content?${fileQuery(path)}&download=1`,
  },
  terminals: {
    list: (id: string) => request('GET', `${studioPath(id)}/terminals`, { schema: listOf(TerminalInfo) }),
    create: (id: string, body: { name?: string; cols?: number; rows?: number }) =>
      request('POST', `${studioPath(id)}/terminals`, { body, schema: TerminalInfo }),
    rename: (id: string, terminalId: string, name: string) =>
      request('PATCH', `${studioPath(id)}/terminals/${encodeURIComponent(terminalId)}`, { body: { name } }),
    close: (id: string, terminalId: string) =>
      request('DELETE', `${studioPath(id)}/terminals/${encodeURIComponent(terminalId)}`),
  },
  /**
   * Notebooks: kernels run on the server, which writes outputs, the run queue and the kernel's
   * state into the shared document; these requests only ask for it.
   */
  notebooks: {
    kernelspecs: (id: string) => request('GET', `${studioPath(id)}/kernelspecs`, { schema: KernelSpecList }),
    run: (id: string, body: NotebookRunBody) => request('POST', `${studioPath(id)}/notebooks/run`, { body }),
    kernel: (id: string, body: NotebookKernelBody) =>
      request('POST', `${studioPath(id)}/notebooks/kernel`, { body }),
    input: (id: string, body: NotebookInputBody) =>
      request('POST', `${studioPath(id)}/notebooks/input`, { body }),
    clearOutputs: (id: string, body: NotebookClearOutputsBody) =>
      request('POST', `${studioPath(id)}/notebooks/clear-outputs`, { body }),
  },
};
