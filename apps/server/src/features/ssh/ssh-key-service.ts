import { type Clock, type Disposable, ListenerSet } from '@studios/base';
import { ErrorCode, type SshKeyAddBody, type SshKeySummary, StudiosError } from '@studios/protocol';
import { fingerprintOf, parsePublicKey } from '@studios/ssh-gateway';
import type { Database } from '../../db/database';
import { type SshKeyRecord, SshKeysRepo } from '../../db/ssh-keys-repo';
import { errors } from '../../errors';
import { newId } from '../../ids';
import { isoTime } from '../../iso-time';

/** Keys a person may hold: plenty for every laptop and CI runner, bounded for the table. */
const MAX_KEYS_PER_USER = 50;

/**
 * Users' SSH public keys: added after strict parsing (type, size), listed, deleted. A deletion
 * is announced so the gateway closes the sessions that logged in with the key.
 */
export class SshKeyService {
  readonly #repo: SshKeysRepo;
  readonly #clock: Clock;
  readonly #removed = new ListenerSet<string>();

  constructor(db: Database, clock: Clock) {
    this.#repo = new SshKeysRepo(db);
    this.#clock = clock;
  }

  list(userId: string): SshKeySummary[] {
    return this.#repo.listForUser(userId).map(toSummary);
  }

  add(userId: string, body: SshKeyAddBody): SshKeySummary {
    const parsed = parsePublicKey(body.publicKey);
    const existing = this.#repo.byFingerprint(parsed.fingerprint);
    if (existing) {
      throw new StudiosError(
        ErrorCode.SshKeyTaken,
        existing.userId === userId
          ? `You added this key already, as "${existing.name}".`
          : 'This key is registered to another account. A key identifies one person: make a new one with ssh-keygen -t ed25519.',
      );
    }
    if (this.#repo.listForUser(userId).length >= MAX_KEYS_PER_USER) {
      throw new StudiosError(
        ErrorCode.Conflict,
        `You have ${MAX_KEYS_PER_USER} SSH keys, the most an account may hold. Delete one you no longer use.`,
      );
    }
    const record: SshKeyRecord = {
      id: newId(),
      userId,
      name: body.name,
      algorithm: parsed.algorithm,
      bits: parsed.bits,
      fingerprint: parsed.fingerprint,
      keyBlob: parsed.blob,
      comment: parsed.comment,
      createdAt: isoTime(this.#clock.now()),
      lastUsedAt: null,
    };
    this.#repo.insert(record);
    return toSummary(record);
  }

  /** Deletes the key and closes the SSH sessions that logged in with it. */
  remove(userId: string, keyId: string): void {
    if (!this.#repo.delete(userId, keyId)) throw errors.notFound('SSH key not found');
    this.#removed.emit(keyId);
  }

  /** The registered key with exactly this blob (a fingerprint match is checked byte for byte). */
  findByBlob(blob: Buffer): SshKeyRecord | undefined {
    const record = this.#repo.byFingerprint(fingerprintOf(blob));
    return record?.keyBlob.equals(blob) ? record : undefined;
  }

  markUsed(keyId: string): void {
    this.#repo.markUsed(keyId, isoTime(this.#clock.now()));
  }

  /** Calls `listener` with a key's id after it is deleted. */
  onRemoved(listener: (keyId: string) => void): Disposable {
    return this.#removed.add(listener);
  }
}

function toSummary(record: SshKeyRecord): SshKeySummary {
  return {
    id: record.id,
    name: record.name,
    algorithm: record.algorithm,
    bits: record.bits,
    fingerprint: record.fingerprint,
    comment: record.comment,
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
  };
}
