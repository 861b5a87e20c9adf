import type { AppRedis } from '@jobs/worker-kit';
import { z } from 'zod';
import { mailboxKey, type MailboxRef } from '../mailbox-ref';
import { jsonText } from '../state/json-text';
import { parseStoredRecord } from '../state/parse-stored-record';

/** Layout version of the state hash (its fields and the provider tokens inside them). */
export const SYNC_STATE_VERSION = 1;

// Read back from Redis, which anyone with access can write: parsed, not trusted.
const syncCheckpointSchema = z.object({
  token: z.string().min(1),
  fullSync: z.boolean(),
  resyncReason: z.literal('cursor-expired').nullable(),
  startedAt: z.iso.datetime({ offset: true }),
});

const syncStateSchema = z.object({
  cursor: z.string().min(1).optional(),
  checkpoint: jsonText(syncCheckpointSchema).optional(),
  lastSyncStartedAt: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
});

/** Where an interrupted sync stopped: the provider's resume point and the kind of sync it was. */
export type SyncCheckpoint = Readonly<z.output<typeof syncCheckpointSchema>>;

/** A mailbox's sync state. */
export interface SyncState {
  /** Cursor of the last completed sync (Gmail history id; Graph delta links as JSON). */
  readonly cursor: string | null;
  /** Set while a sync is under way or was interrupted (crash, deploy): resume here. */
  readonly checkpoint: SyncCheckpoint | null;
  /** Start of the last completed sync: a resync after an expired cursor starts before it. */
  readonly lastSyncStartedAt: Date | null;
}

/**
 * Sync state per mailbox in one Redis hash, `<keyPrefix>:state:<provider>:<accountId>`,
 * fields `version` ({@link SYNC_STATE_VERSION}), `cursor`, `checkpoint` (JSON),
 * `lastSyncStartedAt` (ISO-8601), `userId`. Kept without expiry: it is the mailbox's position
 * and must outlive job retention.
 */
export class SyncStateStore {
  constructor(
    private readonly redis: AppRedis,
    private readonly keyPrefix: string,
  ) {}

  /** The Redis key of the mailbox's state. */
  keyOf(mailbox: MailboxRef): string {
    return `${this.keyPrefix}:state:${mailboxKey(mailbox)}`;
  }

  /** What to do about an unreadable state hash (ends StateRecordCorruptError's message). */
  remedyFor(mailbox: MailboxRef): string {
    return `delete the key (DEL ${this.keyOf(mailbox)}) and the next sync lists the mailbox again from syncSince or the look-back (events handed over already are dropped as repeats within the repeat window)`;
  }

  /**
   * The mailbox's state, parsed; an absent hash is the empty state.
   * @throws StateRecordCorruptError when the hash has an unknown `version` or a field that does
   *   not match its schema (`checkpoint` not JSON, a bad date ...).
   */
  async load(mailbox: MailboxRef): Promise<SyncState> {
    const key = this.keyOf(mailbox);
    const hash = await this.redis.hgetall(key);
    const state = parseStoredRecord(syncStateSchema, hash, { key, version: SYNC_STATE_VERSION, remedy: this.remedyFor(mailbox) });
    return { cursor: state.cursor ?? null, checkpoint: state.checkpoint ?? null, lastSyncStartedAt: state.lastSyncStartedAt ?? null };
  }

  /** Records where to resume; call only after the page it follows was handed over. */
  async saveCheckpoint(mailbox: MailboxRef, checkpoint: SyncCheckpoint): Promise<void> {
    await this.redis.hset(this.keyOf(mailbox), 'version', SYNC_STATE_VERSION, 'checkpoint', JSON.stringify(checkpoint), 'userId', mailbox.userId);
  }

  /** Forgets an unusable checkpoint (its provider token expired). */
  async clearCheckpoint(mailbox: MailboxRef): Promise<void> {
    await this.redis.hdel(this.keyOf(mailbox), 'checkpoint');
  }

  /**
   * A sync completed: the new cursor replaces the old one and the checkpoint goes, atomically.
   * @throws the Redis error of either command (EXEC answers per command, so a failed HSET, e.g.
   *   WRONGTYPE, would otherwise pass as completed), or of the MULTI itself.
   */
  async complete(mailbox: MailboxRef, cursor: string, startedAt: Date): Promise<void> {
    const key = this.keyOf(mailbox);
    const replies = await this.redis
      .multi()
      .hset(key, 'version', SYNC_STATE_VERSION, 'cursor', cursor, 'lastSyncStartedAt', startedAt.toISOString(), 'userId', mailbox.userId)
      .hdel(key, 'checkpoint')
      .exec();
    const failed = replies?.find(([err]) => err)?.[0];
    if (failed) throw failed;
  }
}
