import { describe, expect, it } from 'vitest';
import { curlExample, tokenPrefixLabel } from './token-text';

describe('token text', () => {
  it('marks the prefix as the start of a longer secret', () => {
    expect(tokenPrefixLabel('stu_abcdef')).toBe('stu_abcdef…');
  });

  it('builds a curl command against the origin', () => {
    expect(curlExample('https://studios.example', 'stu_x')).toBe(
      'curl -H "Authorization: Bearer stu_x" https://studios.example/api/studios',
    );
  });
});
