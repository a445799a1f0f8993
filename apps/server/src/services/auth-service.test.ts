import { FakeClock, type TempDir, tempDir } from '@studios/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/database';
import { AuthService, type Credential } from './auth-service';

const DAY = 24 * 60 * 60 * 1000;
let temp: TempDir;
let db: Database;

beforeEach(() => {
  temp = tempDir('studios-auth-');
  db = openDatabase(temp.dir);
});
afterEach(() => {
  db.close();
  temp.cleanup();
});

describe('AuthService sessions', () => {
  it('expires idle sessions and slides the expiry of used ones', async () => {
    const clock = new FakeClock();
    const auth = new AuthService({ db, clock, sessionTtlMs: 10 * DAY });
    const { sessionSecret } = await auth.signup({
      email: 'a@example.com',
      name: 'A',
      password: 'password123',
    });
    clock.advance(9 * DAY);
    expect(auth.authenticateSession(sessionSecret)?.user.email).toBe('a@example.com');
    // Used at day 9, so it now lasts until day 19.
    clock.advance(9 * DAY);
    expect(auth.authenticateSession(sessionSecret)).toBeDefined();
    clock.advance(10 * DAY + 1);
    expect(auth.authenticateSession(sessionSecret)).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 });
  });

  it('announces logout so sockets of that session can close', async () => {
    const auth = new AuthService({ db, clock: new FakeClock() });
    const { sessionSecret } = await auth.signup({
      email: 'b@example.com',
      name: 'B',
      password: 'password123',
    });
    const principal = auth.authenticateSession(sessionSecret);
    const revoked: Credential[] = [];
    const subscription = auth.onCredentialRevoked((credential) => revoked.push(credential));
    auth.logout(principal?.credential as Credential);
    auth.logout(principal?.credential as Credential);
    expect(revoked).toEqual([principal?.credential]);
    subscription.dispose();
    expect(auth.authenticateSession(sessionSecret)).toBeUndefined();
  });
});
