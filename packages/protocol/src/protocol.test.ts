import { describe, expect, it } from 'vitest';
import {
  CloseCode,
  FATAL_CLOSE_CODES,
  MemberAddBody,
  RoleAbility,
  SignupBody,
  StudioCreateBody,
  StudioEvent,
  TerminalClientMessage,
  WorkspacePath,
} from './index';

describe('request bodies', () => {
  it('normalises emails and rejects unknown fields, so nothing unexpected reaches the server', () => {
    const ok = SignupBody.safeParse({ email: ' Ada@Example.COM ', name: 'Ada', password: 'long enough' });
    expect(ok.success && ok.data.email).toBe('ada@example.com');
    expect(
      SignupBody.safeParse({ email: 'a@b.co', name: 'A', password: 'long enough', isAdmin: true }).success,
    ).toBe(false);
    expect(SignupBody.safeParse({ email: 'a@b.co', name: 'A', password: 'short' }).success).toBe(false);
  });

  it('accepts only the three roles and machine type ids of the catalogue shape', () => {
    expect(MemberAddBody.safeParse({ email: 'a@b.co', role: 'viewer' }).success).toBe(true);
    expect(MemberAddBody.safeParse({ email: 'a@b.co', role: 'admin' }).success).toBe(false);
    expect(StudioCreateBody.safeParse({ name: 'x', machineType: 'cpu-small' }).success).toBe(true);
    expect(StudioCreateBody.safeParse({ name: 'x', machineType: '../../etc' }).success).toBe(false);
    expect(StudioCreateBody.safeParse({ name: 'x', privileged: true }).success).toBe(false);
  });

  it('refuses absolute workspace paths and NUL bytes', () => {
    expect(WorkspacePath.safeParse('src/app.ts').success).toBe(true);
    expect(WorkspacePath.safeParse('/etc/passwd').success).toBe(false);
    expect(WorkspacePath.safeParse('a\0b').success).toBe(false);
  });
});

describe('roles', () => {
  it('lets only owners manage and viewers never write', () => {
    expect(RoleAbility.owner).toEqual({ read: true, write: true, manage: true });
    expect(RoleAbility.editor).toEqual({ read: true, write: true, manage: false });
    expect(RoleAbility.viewer).toEqual({ read: true, write: false, manage: false });
  });
});

describe('socket messages', () => {
  it('parses studio events and terminal control messages by type', () => {
    expect(StudioEvent.parse({ type: 'doc-saved', path: 'a.py', savedAt: '2026-01-01T00:00:00Z' }).type).toBe(
      'doc-saved',
    );
    expect(StudioEvent.safeParse({ type: 'nope' }).success).toBe(false);
    const terminal = {
      id: 't1',
      name: 'Terminal 1',
      createdAt: '2026-01-01T00:00:00Z',
      createdBy: 'u1',
      cols: 80,
      rows: 24,
      attached: [{ userId: 'u1', name: 'Ada', canWrite: true }],
      exitCode: null,
    };
    expect(StudioEvent.parse({ type: 'terminals', terminals: [terminal] })).toEqual({
      type: 'terminals',
      terminals: [terminal],
    });
    expect(StudioEvent.safeParse({ type: 'terminals', terminals: [{ id: 't1' }] }).success).toBe(false);
    expect(TerminalClientMessage.safeParse({ type: 'resize', cols: 80, rows: 24 }).success).toBe(true);
    expect(TerminalClientMessage.safeParse({ type: 'resize', cols: 100000, rows: 24 }).success).toBe(false);
  });

  it('treats auth, permission, missing and gone closes as fatal, restarts as retryable', () => {
    expect(FATAL_CLOSE_CODES.has(CloseCode.Forbidden)).toBe(true);
    expect(FATAL_CLOSE_CODES.has(CloseCode.Unauthorized)).toBe(true);
    expect(FATAL_CLOSE_CODES.has(CloseCode.ServerRestarting)).toBe(false);
    const codes = Object.values(CloseCode);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
