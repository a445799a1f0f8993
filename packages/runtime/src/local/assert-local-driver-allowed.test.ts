import { describe, expect, it } from 'vitest';
import { assertLocalDriverAllowed, isLoopbackHost } from './assert-local-driver-allowed';

describe('assertLocalDriverAllowed', () => {
  it('allows loopback addresses', () => {
    for (const host of ['127.0.0.1', '::1', '[::1]', 'localhost', '127.0.0.2']) {
      expect(isLoopbackHost(host)).toBe(true);
      expect(() => assertLocalDriverAllowed({ host, allowRemote: false })).not.toThrow();
    }
  });

  it('refuses any address others can reach unless remote use is allowed explicitly', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'studios.example.com', '']) {
      expect(() => assertLocalDriverAllowed({ host, allowRemote: false })).toThrow(
        /only serves on 127\.0\.0\.1\/::1 unless STUDIOS_ALLOW_LOCAL_RUNTIME_REMOTE=1/,
      );
      expect(() => assertLocalDriverAllowed({ host, allowRemote: true })).not.toThrow();
    }
  });
});
