import { Email, Password } from '@studios/protocol';

export type AuthFormErrors = Partial<Record<'email' | 'name' | 'password', string>>;

/** Client-side checks with the protocol's own schemas, so the messages match the server's. */
export function validateAuthForm(
  mode: 'login' | 'signup',
  values: { email: string; name: string; password: string },
): AuthFormErrors {
  const errors: AuthFormErrors = {};
  if (!values.email.trim()) errors.email = 'Enter your email address';
  else if (!Email.safeParse(values.email).success)
    errors.email = 'Enter a valid email address, like ada@example.com';
  if (mode === 'signup') {
    if (!values.name.trim()) errors.name = 'Enter your name';
    const password = Password.safeParse(values.password);
    if (!password.success) errors.password = password.error.issues[0]?.message ?? 'Choose another password';
  } else if (!values.password) {
    errors.password = 'Enter your password';
  }
  return errors;
}
