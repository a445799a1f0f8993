import { describe, expect, it } from 'vitest';
import { validateAuthForm } from './validate-auth-form';

describe('validateAuthForm', () => {
  it('accepts a complete sign-up', () => {
    expect(
      validateAuthForm('signup', { email: 'ada@example.com', name: 'Ada', password: 'longenough' }),
    ).toEqual({});
  });

  it('names every missing or invalid field', () => {
    expect(validateAuthForm('signup', { email: 'nope', name: ' ', password: 'short' })).toEqual({
      email: 'Enter a valid email address, like ada@example.com',
      name: 'Enter your name',
      password: 'Use at least 8 characters',
    });
    expect(validateAuthForm('login', { email: '', name: '', password: '' })).toEqual({
      email: 'Enter your email address',
      password: 'Enter your password',
    });
  });
});
