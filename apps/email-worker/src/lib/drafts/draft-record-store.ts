import type { Redis } from 'ioredis';
import { z } from 'zod';
import { emailProviderSchema, type EmailProvider } from '@jobs/queue-contracts';
import type { WrittenReply } from './reply-writer';

// Read back from Redis, which anyone with access can write: checked, not trusted.
const recordedMailboxSchema = z.object({ accountId: z.string().min(1), provider: emailProviderSchema });

/** What an earlier attempt of the same draft job already did. */
export interface DraftRecord {
  /** The reply written (so a retry does not pay the model again), with the prompt's cut count. */
  readonly reply: (WrittenReply & { truncatedMessages: number }) | null;
  /** The mailbox draft created, as soon as it existed. */
  readonly draftId: string | null;
  /**
   * The mailbox the job found the thread in, when the job did not name one: a retry drafts
   * there (where its draft id lives) without asking the app and the providers again.
   */
  readonly mailbox: { readonly accountId: string; readonly provider: EmailProvider } | null;
}

/** A recorded mailbox, or null when the field is not one (then the mailbox is looked up again). */
function readMailbox(value: string): DraftRecord['mailbox'] {
  try {
    const parsed = recordedMailboxSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Per-job record of a draft's side effects (the mailbox chosen, the reply written, the draft
 * id), `<keyPrefix>:draft:<jobId>` (a hash), kept `ttlMs` (longer than failed jobs are kept, so
 * any retry finds it). This is what makes a retried job update its own draft, in the same
 * mailbox, instead of creating a second one.
 */
export class DraftRecordStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  private key(jobId: string): string {
    return `${this.keyPrefix}:draft:${jobId}`;
  }

  async load(jobId: string): Promise<DraftRecord> {
    const hash = await this.redis.hgetall(this.key(jobId));
    return {
      reply: hash['reply'] ? (JSON.parse(hash['reply']) as DraftRecord['reply']) : null,
      draftId: hash['draftId'] ?? null,
      mailbox: hash['mailbox'] ? readMailbox(hash['mailbox']) : null,
    };
  }

  /** Records the mailbox the thread was found in (fields `accountId`, `provider` as JSON). */
  async saveMailbox(jobId: string, mailbox: NonNullable<DraftRecord['mailbox']>): Promise<void> {
    const value = JSON.stringify({ accountId: mailbox.accountId, provider: mailbox.provider });
    await this.redis.multi().hset(this.key(jobId), 'mailbox', value).pexpire(this.key(jobId), this.ttlMs).exec();
  }

  async saveReply(jobId: string, reply: NonNullable<DraftRecord['reply']>): Promise<void> {
    await this.redis.multi().hset(this.key(jobId), 'reply', JSON.stringify(reply)).pexpire(this.key(jobId), this.ttlMs).exec();
  }

  async saveDraftId(jobId: string, draftId: string): Promise<void> {
    await this.redis.multi().hset(this.key(jobId), 'draftId', draftId).pexpire(this.key(jobId), this.ttlMs).exec();
  }
}
