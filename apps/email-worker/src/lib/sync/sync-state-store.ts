import type { Redis } from 'ioredis';
import { mailboxKey, type MailboxRef } from '../mailbox-ref';

/** Where an interrupted sync stopped: the provider's resume point and the kind of sync it was. */
export interface SyncCheckpoint {
  /** Opaque provider resume point (see `SyncPage.checkpoint`). */
  readonly token: string;
  readonly fullSync: boolean;
  readonly resyncReason: 'cursor-expired' | null;
  /** When the interrupted sync began (ISO-8601). */
  readonly startedAt: string;
}

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
 * fields `cursor`, `checkpoint` (JSON), `lastSyncStartedAt` (ISO-8601). Kept without expiry: it
 * is the mailbox's position and must outlive job retention.
 */
export class SyncStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private key(mailbox: MailboxRef): string {
    return `${this.keyPrefix}:state:${mailboxKey(mailbox)}`;
  }

  async load(mailbox: MailboxRef): Promise<SyncState> {
    const hash = await this.redis.hgetall(this.key(mailbox));
    return {
      cursor: hash['cursor'] ?? null,
      checkpoint: hash['checkpoint'] ? (JSON.parse(hash['checkpoint']) as SyncCheckpoint) : null,
      lastSyncStartedAt: hash['lastSyncStartedAt'] ? new Date(hash['lastSyncStartedAt']) : null,
    };
  }

  /** Records where to resume; call only after the page it follows was handed over. */
  async saveCheckpoint(mailbox: MailboxRef, checkpoint: SyncCheckpoint): Promise<void> {
    await this.redis.hset(this.key(mailbox), 'checkpoint', JSON.stringify(checkpoint), 'userId', mailbox.userId);
  }

  /** Forgets an unusable checkpoint (its provider token expired). */
  async clearCheckpoint(mailbox: MailboxRef): Promise<void> {
    await this.redis.hdel(this.key(mailbox), 'checkpoint');
  }

  /** A sync completed: the new cursor replaces the old one and the checkpoint goes, atomically. */
  async complete(mailbox: MailboxRef, cursor: string, startedAt: Date): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(mailbox), 'cursor', cursor, 'lastSyncStartedAt', startedAt.toISOString(), 'userId', mailbox.userId)
      .hdel(this.key(mailbox), 'checkpoint')
      .exec();
  }
}
