import { z } from 'zod';

export const Email = z.string().trim().toLowerCase().email().max(254);
export const Password = z.string().min(8, 'Use at least 8 characters').max(256);

export const SignupBody = z.strictObject({
  email: Email,
  name: z.string().trim().min(1).max(80),
  password: Password,
});
export type SignupBody = z.infer<typeof SignupBody>;

export const LoginBody = z.strictObject({
  email: Email,
  password: z.string().min(1).max(256),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

export const TokenCreateBody = z.strictObject({ name: z.string().trim().min(1).max(80) });
export type TokenCreateBody = z.infer<typeof TokenCreateBody>;

export const TokenSummary = z.object({
  id: z.string(),
  name: z.string(),
  /** First characters of the token, enough to recognise it, never enough to use it. */
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type TokenSummary = z.infer<typeof TokenSummary>;

/** Returned once at creation: `token` is never shown again. */
export const TokenCreated = TokenSummary.extend({ token: z.string() });
export type TokenCreated = z.infer<typeof TokenCreated>;
