import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const LENGTH = 25; // 36^25 ≈ 2^129

/**
 * A random identifier (≥128 bits) of lowercase letters and digits. Base64url ids can start
 * with `-` or `_`, which Docker container and network names (and DNS labels) reject, and Studio
 * ids end up in both.
 */
export function newId(): string {
  let id = '';
  for (let i = 0; i < LENGTH; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
