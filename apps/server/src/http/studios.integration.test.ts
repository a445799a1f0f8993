import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineType, Member, Studio } from '@studios/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Account, createTestServer, jsonInit, signUp, type TestServer } from '../testing';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(async () => {
  await t.close();
});

async function call<T>(method: string, path: string, who: Account | undefined, body?: unknown) {
  const response = await t.request(path, jsonInit(method, body, who ? { cookie: who.cookie } : undefined));
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function createStudio(owner: Account, name = 'My Studio'): Promise<Studio> {
  const { status, body } = await call<Studio>('POST', '/api/studios', owner, { name });
  expect(status).toBe(201);
  return body;
}

const membersOf = (studioId: string) =>
  t.server.db
    .prepare('SELECT user_id, role FROM studio_members WHERE studio_id = ? ORDER BY user_id')
    .all(studioId);

describe('studios', () => {
  it('creates a Studio owned by the caller, with its workspace folder', async () => {
    const alice = await signUp(t);
    const studio = await createStudio(alice, 'Experiments');
    expect(studio).toMatchObject({
      name: 'Experiments',
      role: 'owner',
      ownerId: alice.user.id,
      machineType: 'cpu-small',
      runtime: { state: 'stopped', machineType: 'cpu-small' },
    });
    expect(existsSync(t.server.services.studios.workspaceDir(studio.id))).toBe(true);
    const list = await call<Studio[]>('GET', '/api/studios', alice);
    expect(list.body.map((s) => s.id)).toEqual([studio.id]);
    const one = await call<Studio>('GET', `/api/studios/${studio.id}`, alice);
    expect(one.body).toEqual(studio);
  });

  it('lists machine types and refuses an unknown one', async () => {
    const alice = await signUp(t);
    const types = await call<MachineType[]>('GET', '/api/machine-types', alice);
    expect(types.body.find((m) => m.id === 'gpu-1')).toMatchObject({ gpus: 1, image: 'studios/gpu:latest' });
    const created = await call<Studio>('POST', '/api/studios', alice, {
      name: 'Big',
      machineType: 'cpu-large',
    });
    expect(created.body.machineType).toBe('cpu-large');
    const unknown = await call('POST', '/api/studios', alice, { name: 'X', machineType: 'tpu-9000' });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'unknown_machine_type' } });
    const bad = await call('POST', '/api/studios', alice, { name: 'X', privileged: true });
    expect(bad).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
    expect((await call<Studio[]>('GET', '/api/studios', alice)).body).toHaveLength(1);
  });

  it("hides other users' Studios behind 404, exactly like a missing one", async () => {
    const alice = await signUp(t);
    const mallory = await signUp(t);
    const studio = await createStudio(alice);
    for (const [method, path, body] of [
      ['GET', `/api/studios/${studio.id}`, undefined],
      ['PATCH', `/api/studios/${studio.id}`, { name: 'pwned' }],
      ['DELETE', `/api/studios/${studio.id}`, undefined],
      ['GET', `/api/studios/${studio.id}/members`, undefined],
      ['POST', `/api/studios/${studio.id}/members`, { email: mallory.email, role: 'owner' }],
    ] as const) {
      const theirs = await call(method, path, mallory, body);
      const missing = await call(method, path.replace(studio.id, 'does-not-exist'), mallory, body);
      expect(theirs, `${method} ${path}`).toEqual({
        status: 404,
        body: { code: 'not_found', message: 'Studio not found' },
      });
      expect(missing).toEqual(theirs);
    }
    expect((await call<Studio[]>('GET', '/api/studios', mallory)).body).toEqual([]);
    expect((await call<Studio>('GET', `/api/studios/${studio.id}`, alice)).body.name).toBe('My Studio');
  });

  it('renames (owner only) and deletes with its folder', async () => {
    const alice = await signUp(t);
    const studio = await createStudio(alice);
    const renamed = await call<Studio>('PATCH', `/api/studios/${studio.id}`, alice, { name: '  Renamed  ' });
    expect(renamed).toMatchObject({ status: 200, body: { name: 'Renamed' } });
    const removed = await call('DELETE', `/api/studios/${studio.id}`, alice);
    expect(removed.status).toBe(204);
    expect(existsSync(t.server.services.studios.workspaceDir(studio.id))).toBe(false);
    expect((await call('GET', `/api/studios/${studio.id}`, alice)).status).toBe(404);
    expect(membersOf(studio.id)).toEqual([]);
  });

  it('writes no rows when the workspace folder cannot be created', async () => {
    const alice = await signUp(t);
    // A file where the studios folder should be makes mkdir fail inside the transaction.
    writeFileSync(join(t.dataDir, 'studios'), 'not a folder');
    const failed = await call('POST', '/api/studios', alice, { name: 'Doomed' });
    expect(failed).toMatchObject({ status: 500, body: { code: 'internal' } });
    expect(t.server.db.prepare('SELECT COUNT(*) AS n FROM studios').get()).toEqual({ n: 0 });
    expect(t.server.db.prepare('SELECT COUNT(*) AS n FROM studio_members').get()).toEqual({ n: 0 });
  });

  it('requires sign-in', async () => {
    expect((await call('GET', '/api/studios', undefined)).status).toBe(401);
    expect((await call('POST', '/api/studios', undefined, { name: 'x' })).status).toBe(401);
  });
});

describe('members and roles', () => {
  it('adds, lists, changes and removes members', async () => {
    const alice = await signUp(t);
    const bob = await signUp(t);
    const studio = await createStudio(alice);
    const added = await call<Member>('POST', `/api/studios/${studio.id}/members`, alice, {
      email: bob.email.toUpperCase(),
      role: 'editor',
    });
    expect(added).toMatchObject({
      status: 201,
      body: { userId: bob.user.id, email: bob.email, role: 'editor' },
    });
    const asBob = await call<Studio[]>('GET', '/api/studios', bob);
    expect(asBob.body.map((s) => [s.id, s.role])).toEqual([[studio.id, 'editor']]);
    const members = await call<Member[]>('GET', `/api/studios/${studio.id}/members`, bob);
    expect(members.body.map((m) => [m.userId, m.role])).toEqual([
      [alice.user.id, 'owner'],
      [bob.user.id, 'editor'],
    ]);
    const patched = await call<Member>('PATCH', `/api/studios/${studio.id}/members/${bob.user.id}`, alice, {
      role: 'viewer',
    });
    expect(patched).toMatchObject({ status: 200, body: { role: 'viewer' } });
    const removed = await call('DELETE', `/api/studios/${studio.id}/members/${bob.user.id}`, alice);
    expect(removed.status).toBe(204);
    expect((await call('GET', `/api/studios/${studio.id}`, bob)).status).toBe(404);
  });

  it('explains an unknown email and refuses duplicates, leaving members unchanged', async () => {
    const alice = await signUp(t);
    const bob = await signUp(t);
    const studio = await createStudio(alice);
    await call('POST', `/api/studios/${studio.id}/members`, alice, { email: bob.email, role: 'viewer' });
    const before = membersOf(studio.id);
    const unknown = await call<{ code: string; message: string }>(
      'POST',
      `/api/studios/${studio.id}/members`,
      alice,
      {
        email: 'stranger@example.com',
        role: 'editor',
      },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/stranger@example\.com.*sign up/);
    const duplicate = await call('POST', `/api/studios/${studio.id}/members`, alice, {
      email: bob.email,
      role: 'owner',
    });
    expect(duplicate).toMatchObject({ status: 409, body: { code: 'conflict' } });
    const invalid = await call('POST', `/api/studios/${studio.id}/members`, alice, {
      email: bob.email,
      role: 'god',
    });
    expect(invalid).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
    expect(membersOf(studio.id)).toEqual(before);
  });

  it('lets a viewer read but not change anything (403)', async () => {
    const alice = await signUp(t);
    const viewer = await signUp(t);
    const editor = await signUp(t);
    const studio = await createStudio(alice);
    await call('POST', `/api/studios/${studio.id}/members`, alice, { email: viewer.email, role: 'viewer' });
    await call('POST', `/api/studios/${studio.id}/members`, alice, { email: editor.email, role: 'editor' });
    expect((await call('GET', `/api/studios/${studio.id}`, viewer)).status).toBe(200);
    for (const who of [viewer, editor]) {
      const attempts = [
        await call('PATCH', `/api/studios/${studio.id}`, who, { name: 'mine now' }),
        await call('DELETE', `/api/studios/${studio.id}`, who),
        await call('POST', `/api/studios/${studio.id}/members`, who, { email: who.email, role: 'owner' }),
        await call('PATCH', `/api/studios/${studio.id}/members/${who.user.id}`, who, { role: 'owner' }),
        await call('DELETE', `/api/studios/${studio.id}/members/${alice.user.id}`, who),
      ];
      for (const attempt of attempts)
        expect(attempt).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    }
    expect((await call<Studio>('GET', `/api/studios/${studio.id}`, alice)).body.name).toBe('My Studio');
    expect(membersOf(studio.id)).toHaveLength(3);
  });

  it('keeps at least one owner, lets members leave, and moves ownerId to a remaining owner', async () => {
    const alice = await signUp(t);
    const bob = await signUp(t);
    const studio = await createStudio(alice);
    const base = `/api/studios/${studio.id}/members`;
    const downgrade = await call('PATCH', `${base}/${alice.user.id}`, alice, { role: 'editor' });
    expect(downgrade).toMatchObject({ status: 409, body: { code: 'conflict' } });
    const leave = await call('DELETE', `${base}/${alice.user.id}`, alice);
    expect(leave).toMatchObject({ status: 409, body: { code: 'conflict' } });
    expect(membersOf(studio.id)).toEqual([{ user_id: alice.user.id, role: 'owner' }]);

    await call('POST', base, alice, { email: bob.email, role: 'viewer' });
    const bobLeaves = await call('DELETE', `${base}/${bob.user.id}`, bob);
    expect(bobLeaves.status).toBe(204);

    await call('POST', base, alice, { email: bob.email, role: 'owner' });
    expect((await call('DELETE', `${base}/${alice.user.id}`, alice)).status).toBe(204);
    const seenByBob = await call<Studio>('GET', `/api/studios/${studio.id}`, bob);
    expect(seenByBob.body.ownerId).toBe(bob.user.id);
  });
});
