import { describe, expect, it } from 'vitest';
import { badHostError, isAllowedHost } from './host-guard';

const nothingConfigured = { publicOrigin: undefined, allowedHosts: [] };

describe('isAllowedHost', () => {
  it('answers loopback names and any IP literal, with or without a port', () => {
    for (const host of [
      'localhost',
      'localhost:8080',
      'LOCALHOST:8080',
      'localhost.:8080',
      'p8000-abc.localhost:8080',
      '127.0.0.1:8080',
      '127.1.2.3',
      '[::1]:8080',
      '192.0.2.2:8080',
      '[fd00::2]',
    ]) {
      expect(isAllowedHost(host, nothingConfigured), host).toBe(true);
    }
  });

  it('refuses every other name, and headers that are not a plain host', () => {
    for (const host of [
      'evil.example:8080',
      'evil.example',
      // Names that merely look local: DNS decides where they point, so they can be rebound.
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      'studios.example.com.evil.example',
      'user@localhost',
      'localhost/path',
      'localhost?x',
      '',
      ' ',
    ]) {
      expect(isAllowedHost(host, nothingConfigured), host).toBe(false);
    }
    expect(isAllowedHost(undefined, nothingConfigured)).toBe(false);
  });

  it("answers the public origin's host on any port, and the allowed hosts", () => {
    const policy = {
      publicOrigin: 'https://studios.example.com',
      allowedHosts: ['studios.internal', '*.previews.example.com'],
    };
    expect(isAllowedHost('studios.example.com', policy)).toBe(true);
    expect(isAllowedHost('Studios.Example.com:443', policy)).toBe(true);
    expect(isAllowedHost('studios.internal:8080', policy)).toBe(true);
    expect(isAllowedHost('p3000-x.previews.example.com', policy)).toBe(true);
    expect(isAllowedHost('previews.example.com', policy)).toBe(false);
    expect(isAllowedHost('evilpreviews.example.com', policy)).toBe(false);
    expect(isAllowedHost('other.example.com', policy)).toBe(false);
  });
});

describe('badHostError', () => {
  it('names the host as parsed and the settings to change', () => {
    const error = badHostError('EVIL.example:8080');
    expect(error.code).toBe('bad_host');
    expect(error.message).toMatch(/"evil\.example"/);
    expect(error.message).toMatch(/STUDIOS_PUBLIC_ORIGIN/);
    expect(error.message).toMatch(/STUDIOS_ALLOWED_HOSTS/);
    expect(badHostError('<script>@x/').message).not.toMatch(/script/);
  });
});
