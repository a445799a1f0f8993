import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from './origin-guard';

const sameHost = { publicOrigin: undefined };

describe('isAllowedOrigin', () => {
  it('allows requests without an Origin header (API clients)', () => {
    expect(isAllowedOrigin(undefined, 'studios.example.com', sameHost)).toBe(true);
  });

  it('allows the same host and normalises default ports', () => {
    expect(isAllowedOrigin('https://studios.example.com', 'studios.example.com', sameHost)).toBe(true);
    expect(isAllowedOrigin('https://studios.example.com:443', 'studios.example.com', sameHost)).toBe(true);
    expect(isAllowedOrigin('https://studios.example.com', 'studios.example.com:443', sameHost)).toBe(true);
    expect(isAllowedOrigin('http://localhost:8080', 'localhost:8080', sameHost)).toBe(true);
    expect(isAllowedOrigin('http://STUDIOS.example.com', 'studios.example.com', sameHost)).toBe(true);
  });

  it('refuses other hosts, ports, schemes and opaque origins', () => {
    expect(isAllowedOrigin('https://evil.example', 'studios.example.com', sameHost)).toBe(false);
    expect(isAllowedOrigin('https://studios.example.com.evil.example', 'studios.example.com', sameHost)).toBe(
      false,
    );
    expect(isAllowedOrigin('http://localhost:8081', 'localhost:8080', sameHost)).toBe(false);
    expect(isAllowedOrigin('https://studios.example.com:8443', 'studios.example.com', sameHost)).toBe(false);
    expect(isAllowedOrigin('null', 'studios.example.com', sameHost)).toBe(false);
    expect(isAllowedOrigin('file://', 'studios.example.com', sameHost)).toBe(false);
    expect(isAllowedOrigin('not a url', 'studios.example.com', sameHost)).toBe(false);
    expect(isAllowedOrigin('https://studios.example.com', undefined, sameHost)).toBe(false);
    expect(isAllowedOrigin('https://studios.example.com', 'user@studios.example.com', sameHost)).toBe(false);
  });

  it('with a public origin configured, allows exactly that origin whatever the Host header says', () => {
    const policy = { publicOrigin: 'https://studios.example.com' };
    expect(isAllowedOrigin('https://studios.example.com:443', 'internal:8080', policy)).toBe(true);
    expect(isAllowedOrigin('http://studios.example.com', 'internal:8080', policy)).toBe(false);
    expect(isAllowedOrigin('http://internal:8080', 'internal:8080', policy)).toBe(false);
  });
});
