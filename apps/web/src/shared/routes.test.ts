import { describe, expect, it } from 'vitest';
import { matchRoute, routePath, safeNextPath } from './routes';

describe('matchRoute', () => {
  it('maps every page', () => {
    expect(matchRoute('/')).toEqual({ name: 'dashboard' });
    expect(matchRoute('/login')).toEqual({ name: 'login' });
    expect(matchRoute('/signup/')).toEqual({ name: 'signup' });
    expect(matchRoute('/studios/abc123')).toEqual({ name: 'studio', studioId: 'abc123' });
    expect(matchRoute('/settings/tokens')).toEqual({ name: 'api-tokens' });
    expect(matchRoute('/settings/tokens/')).toEqual({ name: 'api-tokens' });
    expect(matchRoute('/settings/ssh-keys')).toEqual({ name: 'ssh-keys' });
  });

  it('decodes the studio id and rejects deeper or malformed paths', () => {
    expect(matchRoute('/studios/a%20b')).toEqual({ name: 'studio', studioId: 'a b' });
    expect(matchRoute('/studios/a/b')).toEqual({ name: 'not-found' });
    expect(matchRoute('/studios/%E0%A4%A')).toEqual({ name: 'not-found' });
    expect(matchRoute('/nope')).toEqual({ name: 'not-found' });
    expect(matchRoute('/settings')).toEqual({ name: 'not-found' });
    expect(matchRoute('/settings/tokens/abc')).toEqual({ name: 'not-found' });
  });

  it('round-trips through routePath', () => {
    const route = { name: 'studio', studioId: 'x/y z' } as const;
    expect(matchRoute(routePath(route))).toEqual(route);
    expect(routePath({ name: 'api-tokens' })).toBe('/settings/tokens');
    expect(matchRoute(routePath({ name: 'api-tokens' }))).toEqual({ name: 'api-tokens' });
    expect(routePath({ name: 'ssh-keys' })).toBe('/settings/ssh-keys');
    expect(matchRoute(routePath({ name: 'ssh-keys' }))).toEqual({ name: 'ssh-keys' });
  });
});

describe('safeNextPath', () => {
  it('keeps same-origin paths', () => {
    expect(safeNextPath('/studios/s1')).toBe('/studios/s1');
    expect(safeNextPath('/?tab=1')).toBe('/?tab=1');
    expect(safeNextPath('/settings/tokens')).toBe('/settings/tokens');
  });

  it('refuses other origins and loops back to auth pages', () => {
    for (const next of [
      '//evil.com',
      '/\t/evil.com',
      '/\\evil.com',
      'https://evil.com',
      'javascript:alert(1)',
      '',
      null,
      '/login',
    ]) {
      expect(safeNextPath(next)).toBe('/');
    }
  });
});
