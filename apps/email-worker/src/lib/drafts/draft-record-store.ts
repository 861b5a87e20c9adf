import type { AppRedis } from '@jobs/worker-kit';
import { z } from 'zod';
import { emailProviderSchema } from '@jobs/queue-contracts';
import { jsonText } from '../state/json-text';
import { parseStoredRecord } from '../state/parse-stored-record';

/** Layout version of the draft record hash. */
export const DRAFT_RECORD_VERSION = 1;

// Read back from Redis, which anyone with access can write: parsed, not trusted.
const recordedReplySchema = z.object({
  body: z.string(),
  model: z.string(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  truncatedMessages: z.number().int().nonnegative(),
});
const recordedMailboxSchema = z.object({ accountId: z.string().min(1), provider: emailProviderSchema });
const draftRecordSchema = z.object({
  reply: jsonText(recordedReplySchema).optional(),
  draftId: z.string().min(1).optional(),
  mailbox: jsonText(recordedMailboxSchema).optional(),
});

/** What an earlier attempt of the same draft job already did. */
export interface DraftRecord {
  /** The reply written (so a retry does not pay the model again), with the prompt's cut count. */
  readonly reply: Readonly<z.output<typeof recordedReplySchema>> | null;
  /** The mailbox draft created, as soon as it existed. */
  readonly draftId: string | null;
  /**
   * The mailbox the job found the thread in, when the job did not name one: a retry drafts
   * there (where its draft id lives) without asking the app and the providers again.
   */
  readonly mailbox: Readonly<z.output<typeof recordedMailboxSchema>> | null;
}

/**
 * Per-job record of a draft's side effects (the mailbox chosen, the reply written, the draft
 * id), `<keyPrefix>:draft:<jobKey>` (a hash: `version` ({@link DRAFT_RECORD_VERSION}),
 * `mailbox` and `reply` as JSON, `draftId`), kept `ttlMs` (longer than failed jobs are kept, so
 * any retry finds it). This is what makes a retried job update its own draft, in the same
 * mailbox, instead of creating a second one.
 */
export class DraftRecordStore {
  constructor(
    private readonly redis: AppRedis,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  private key(jobKey: string): string {
    return `${this.keyPrefix}:draft:${jobKey}`;
  }

  /**
   * What earlier attempts recorded (all null for a first attempt).
   * @throws StateRecordCorruptError when the hash has an unknown `version` or a field that does
   *   not match (e.g. `reply` not JSON): the job cannot tell what it already did.
   */
  async load(jobKey: string): Promise<DraftRecord> {
    const key = this.key(jobKey);
    const hash = await this.redis.hgetall(key);
    const record = parseStoredRecord(draftRecordSchema, hash, {
      key,
      version: DRAFT_RECORD_VERSION,
      remedy: `delete the key (DEL ${key}) and retry the job: it writes the reply again and saves a new draft (a draft an earlier attempt saved may stay beside it)`,
    });
    return { reply: record.reply ?? null, draftId: record.draftId ?? null, mailbox: record.mailbox ?? null };
  }

  /** Records the mailbox the thread was found in (fields `accountId`, `provider` as JSON). */
  async saveMailbox(jobKey: string, mailbox: NonNullable<DraftRecord['mailbox']>): Promise<void> {
    await this.save(jobKey, 'mailbox', JSON.stringify({ accountId: mailbox.accountId, provider: mailbox.provider }));
  }

  /** Records the reply written, before the draft is saved. */
  async saveReply(jobKey: string, reply: NonNullable<DraftRecord['reply']>): Promise<void> {
    await this.save(jobKey, 'reply', JSON.stringify(reply));
  }

  /** Records the draft's id as soon as the provider created it. */
  async saveDraftId(jobKey: string, draftId: string): Promise<void> {
    await this.save(jobKey, 'draftId', draftId);
  }

  /**
   * Writes one field (with the layout version) and renews the record's TTL, in one MULTI.
   * @throws the Redis error of either command (EXEC answers per command, so a failed HSET, e.g.
   *   WRONGTYPE, would otherwise pass as recorded), or of the MULTI itself.
   */
  private async save(jobKey: string, field: keyof DraftRecord, value: string): Promise<void> {
    const key = this.key(jobKey);
    const replies = await this.redis.multi().hset(key, 'version', DRAFT_RECORD_VERSION, field, value).pexpire(key, this.ttlMs).exec();
    const failed = replies?.find(([err]) => err)?.[0];
    if (failed) throw failed;
  }
}
