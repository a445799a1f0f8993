import type { TokenCreated, TokenSummary, User } from '@studios/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestServer, jsonInit, sessionCookieFrom, signUp, type TestServer } from '../testing';

let t: TestServer;
beforeEach(async () => {
  t = await createTestServer();
});
afterEach(async () => {
  await t.close();
});

const countRows = (table: string) =>
  (t.server.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('accounts and sessions', () => {
  it('signs up, makes the first account admin, and sets a hardened session cookie', async () => {
    const response = await t.request(
      '/api/auth/signup',
      jsonInit('POST', { email: ' Ada@Example.com ', name: 'Ada', password: 'correct horse battery' }),
    );
    expect(response.status).toBe(201);
    const user = (await response.json()) as User;
    expect(user).toMatchObject({ email: 'ada@example.com', name: 'Ada', isAdmin: true });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^studios_session=[\w-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    // Served over http in this test, so no Secure flag (it would make the cookie unusable).
    expect(setCookie).not.toMatch(/Secure/);
    const second = await signUp(t);
    expect(second.user.isAdmin).toBe(false);
  });

  it('stores only the sha256 of the session secret', async () => {
    const { cookie } = await signUp(t);
    const secret = cookie.split('=')[1] as string;
    const rows = t.server.db.prepare('SELECT id FROM sessions').all() as Array<{ id: string }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.id).not.toContain(secret);
  });

  it('marks the cookie Secure when the request came over https', async () => {
    // Served at its public origin (the server answers only to hosts it knows, see host-guard.ts).
    await t.close();
    t = await createTestServer({ config: { publicOrigin: 'https://studios.example.com' } });
    const response = await t.server.app.request(
      'https://studios.example.com/api/auth/signup',
      jsonInit('POST', { email: 'secure@example.com', name: 'S', password: 'correct horse battery' }),
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('refuses a duplicate email with 409 and writes nothing', async () => {
    await signUp(t, { email: 'dup@example.com' });
    const response = await t.request(
      '/api/auth/signup',
      jsonInit('POST', { email: 'DUP@example.com', name: 'Other', password: 'another password' }),
    );
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'email_taken' });
    expect(countRows('users')).toBe(1);
    expect(countRows('sessions')).toBe(1);
  });

  it('rejects invalid and unknown fields with 400 and issues', async () => {
    const cases: unknown[] = [
      { email: 'not-an-email', name: 'A', password: 'correct horse battery' },
      { email: 'a@example.com', name: 'A', password: 'short' },
      { email: 'a@example.com', name: '', password: 'correct horse battery' },
      { email: 'a@example.com', name: 'A', password: 'correct horse battery', isAdmin: true },
      { email: 42, name: 'A', password: 'correct horse battery' },
      [],
    ];
    for (const body of cases) {
      const response = await t.request('/api/auth/signup', jsonInit('POST', body));
      expect(response.status, JSON.stringify(body)).toBe(400);
      const error = (await response.json()) as { code: string; issues: unknown[] };
      expect(error.code).toBe('invalid_request');
      expect(error.issues.length).toBeGreaterThan(0);
    }
    expect(countRows('users')).toBe(0);
  });

  it('logs in, answers /me, and logs out server-side', async () => {
    const { email, password, user } = await signUp(t);
    const login = await t.request('/api/auth/login', jsonInit('POST', { email, password }));
    expect(login.status).toBe(200);
    expect(await login.json()).toEqual(user);
    const cookie = sessionCookieFrom(login);
    const me = await t.request('/api/me', jsonInit('GET', undefined, { cookie }));
    expect(me.status).toBe(200);
    expect(((await me.json()) as User).id).toBe(user.id);

    const logout = await t.request('/api/auth/logout', jsonInit('POST', undefined, { cookie }));
    expect(logout.status).toBe(204);
    const after = await t.request('/api/me', jsonInit('GET', undefined, { cookie }));
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ code: 'unauthorized' });
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const { email } = await signUp(t);
    const wrong = await t.request('/api/auth/login', jsonInit('POST', { email, password: 'wrong password' }));
    const unknown = await t.request(
      '/api/auth/login',
      jsonInit('POST', { email: 'nobody@example.com', password: 'wrong password' }),
    );
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const expected = { code: 'invalid_credentials', message: 'Email or password is incorrect' };
    expect(await wrong.json()).toEqual(expected);
    expect(await unknown.json()).toEqual(expected);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('rate-limits repeated failures for one email with 429 and Retry-After', async () => {
    const { email, password } = await signUp(t);
    for (let i = 0; i < 10; i++) {
      const response = await t.request(
        '/api/auth/login',
        jsonInit('POST', { email, password: `wrong ${i}` }),
      );
      expect(response.status).toBe(401);
    }
    const limited = await t.request('/api/auth/login', jsonInit('POST', { email, password }));
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account from the same client is unaffected.
    const other = await signUp(t);
    const ok = await t.request(
      '/api/auth/login',
      jsonInit('POST', { email: other.email, password: other.password }),
    );
    expect(ok.status).toBe(200);
  });

  it('requires auth on /me', async () => {
    const response = await t.request('/api/me');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'unauthorized' });
  });
});

describe('API tokens', () => {
  it('creates, lists, authenticates with Bearer, and revokes', async () => {
    const { cookie, user } = await signUp(t);
    const created = await t.request('/api/tokens', jsonInit('POST', { name: 'laptop' }, { cookie }));
    expect(created.status).toBe(201);
    const token = (await created.json()) as TokenCreated;
    expect(token.token).toMatch(/^stu_[\w-]{43}$/);
    expect(token.token.startsWith(token.prefix)).toBe(true);
    expect(token.lastUsedAt).toBeNull();
    const stored = t.server.db.prepare('SELECT hash FROM api_tokens').get() as { hash: string };
    expect(stored.hash).not.toContain(token.token);

    const me = await t.request('/api/me', jsonInit('GET', undefined, { token: token.token }));
    expect(me.status).toBe(200);
    expect(((await me.json()) as User).id).toBe(user.id);

    const list = await t.request('/api/tokens', jsonInit('GET', undefined, { cookie }));
    const summaries = (await list.json()) as TokenSummary[];
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).not.toHaveProperty('token');
    expect(summaries[0]?.lastUsedAt).not.toBeNull();

    const revoked = await t.request(`/api/tokens/${token.id}`, jsonInit('DELETE', undefined, { cookie }));
    expect(revoked.status).toBe(204);
    const after = await t.request('/api/me', jsonInit('GET', undefined, { token: token.token }));
    expect(after.status).toBe(401);
    const listAfter = await t.request('/api/tokens', jsonInit('GET', undefined, { cookie }));
    expect(await listAfter.json()).toEqual([]);
  });

  it("cannot revoke another user's token, and rejects malformed bearer tokens", async () => {
    const alice = await signUp(t);
    const bob = await signUp(t);
    const created = await t.request(
      '/api/tokens',
      jsonInit('POST', { name: 'ci' }, { cookie: alice.cookie }),
    );
    const token = (await created.json()) as TokenCreated;
    const attempt = await t.request(
      `/api/tokens/${token.id}`,
      jsonInit('DELETE', undefined, { cookie: bob.cookie }),
    );
    expect(attempt.status).toBe(404);
    expect((await t.request('/api/me', jsonInit('GET', undefined, { token: token.token }))).status).toBe(200);
    for (const bad of ['stu_nope', 'garbage', `${token.token}x`]) {
      expect((await t.request('/api/me', jsonInit('GET', undefined, { token: bad }))).status).toBe(401);
    }
  });
});
