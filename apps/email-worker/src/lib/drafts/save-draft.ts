import { createHash } from 'node:crypto';
import type { MailboxRef } from '../mailbox-ref';
import type { MailProvider } from '../providers/mail-provider';
import type { DraftRecord, DraftRecordStore } from './draft-record-store';
import type { DraftThread } from './read-draft-thread';
import type { DraftReply } from './write-reply';

/** What {@link saveDraft} needs. */
export interface SaveDraftInput {
  readonly provider: MailProvider;
  readonly mailbox: MailboxRef;
  readonly thread: DraftThread;
  /** The mailbox's own address (the draft's From). */
  readonly owner: string;
  readonly reply: DraftReply;
  /** The job's draft record key, what earlier attempts recorded under it, and where to record. */
  readonly jobKey: string;
  readonly record: DraftRecord;
  readonly records: DraftRecordStore;
  readonly signal: AbortSignal;
}

/** The saved draft: the provider's ids, the subject given, and whether it replaced an earlier attempt's. */
export interface SavedDraft {
  readonly draftId: string;
  readonly threadId: string;
  readonly subject: string;
  readonly updated: boolean;
}

/**
 * Draft step 4: saves the reply as a draft in the thread (never sends it), addressed as a reply
 * to the last message: to its Reply-To, else its sender; to its recipients when the mailbox's
 * owner wrote it (a follow-up). Subject `Re: …` (once), In-Reply-To and References set (RFC
 * 5322 §3.6.4). The draft's Message-ID is derived from `jobKey`, so a provider can find the
 * draft of an attempt whose answer was lost; the draft id an earlier attempt recorded is
 * updated, not duplicated, and a new one is recorded as soon as the provider created it.
 * @throws the provider's errors (ProviderRejectedError when the draft lands outside the thread).
 */
export async function saveDraft(input: SaveDraftInput): Promise<SavedDraft> {
  const { replyTo, replyToRaw } = input.thread;
  const baseSubject = replyTo.subject ?? '';
  const subject = /^re:/i.test(baseSubject) ? baseSubject : `Re: ${baseSubject}`.trim();
  const fromOwner = replyTo.from.some((a) => a.address.toLowerCase() === input.owner.toLowerCase());
  const to = fromOwner ? replyTo.to : replyTo.replyTo.length > 0 ? replyTo.replyTo : replyTo.from;
  const saved = await input.provider.saveReplyDraft(
    input.mailbox,
    {
      replyTo: replyToRaw,
      thread: input.thread.messages,
      draftMessageId: `<draft-${createHash('sha256').update(input.jobKey).digest('hex').slice(0, 32)}@email-worker.invalid>`,
      from: input.owner,
      to,
      subject,
      body: input.reply.body,
      inReplyTo: replyTo.internetMessageId,
      references: [...replyTo.references, ...(replyTo.internetMessageId ? [replyTo.internetMessageId] : [])],
    },
    {
      existingDraftId: input.record.draftId,
      onCreated: (draftId) => input.records.saveDraftId(input.jobKey, draftId),
      signal: input.signal,
    },
  );
  return { draftId: saved.draftId, threadId: saved.threadId, subject, updated: input.record.draftId !== null };
}
