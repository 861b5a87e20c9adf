import type { JobHandler } from '@jobs/worker-kit';
import type { EmailProvider } from '@jobs/queue-contracts';
import type { MailboxDirectory } from './lib/credentials/mailbox-directory';
import type { DraftRecordStore } from './lib/drafts/draft-record-store';
import { draftJobKey } from './lib/drafts/draft-job-key';
import { readDraftThread } from './lib/drafts/read-draft-thread';
import type { ReplyWriter } from './lib/drafts/reply-writer';
import { resolveDraftMailbox } from './lib/drafts/resolve-draft-mailbox';
import { saveDraft } from './lib/drafts/save-draft';
import { toDraftResult } from './lib/drafts/to-draft-result';
import { writeReply } from './lib/drafts/write-reply';
import type { MailProvider } from './lib/providers/mail-provider';
import { toJobError } from './lib/to-job-error';

/** What the `EMAIL_DRAFT` handler works with. */
export interface DraftHandlerDeps {
  readonly providers: Readonly<Record<EmailProvider, MailProvider>>;
  /** The user's connected mailboxes, asked when a job does not name its mailbox. */
  readonly directory: MailboxDirectory;
  readonly writer: ReplyWriter;
  readonly records: DraftRecordStore;
  /** The model's context window (tokens). */
  readonly contextWindowTokens: number;
  /** Tokens kept for the reply (`max_tokens`). */
  readonly maxOutputTokens: number;
}

/**
 * `EMAIL_DRAFT`: reads the thread, writes a reply with the chat model and saves it as a reply
 * draft in the same thread — never sends it. Steps, each its own module:
 * resolveDraftMailbox → readDraftThread → writeReply (recorded) → saveDraft → toDraftResult.
 * A job without `accountId` and `emailProvider` (as the seed README enqueues it) drafts in the
 * one of the user's connected mailboxes that holds the thread.
 *
 * Idempotent per job: the mailbox found, the reply written and the draft id are recorded
 * (DraftRecordStore) as soon as they exist, so a retry after any later failure reuses the
 * reply and updates the same draft. Every error leaves through toJobError.
 *
 * @throws PermanentJobError when the thread does not exist or holds nothing to reply to, when
 *   the job names no mailbox and none or several of the user's hold the thread, and when the
 *   job's draft record is unreadable; RetryLaterError when a provider or the model throttles.
 */
export function createEmailDraftHandler(deps: DraftHandlerDeps): JobHandler<'EMAIL_DRAFT'> {
  const { records } = deps;
  return async ({ job, data, signal, log }) => {
    const jobKey = draftJobKey(job, data);
    try {
      const record = await records.load(jobKey);
      const chosen = await resolveDraftMailbox({ data, jobKey, record, records, directory: deps.directory, providers: deps.providers, signal });
      const { mailbox } = chosen;
      if (chosen.lookedUp) log.info({ accountId: mailbox.accountId, provider: mailbox.provider }, 'thread found in the user\'s mailbox');
      const provider = deps.providers[mailbox.provider];
      const thread = await readDraftThread({ provider, mailbox, threadId: data.threadId, alreadyRead: chosen.thread, signal });
      const owner = await provider.mailboxAddress(mailbox, signal);

      let reply = record.reply;
      if (reply === null) {
        reply = await writeReply({ writer: deps.writer, data, thread, owner, contextWindowTokens: deps.contextWindowTokens, maxOutputTokens: deps.maxOutputTokens, log, signal });
        await records.saveReply(jobKey, reply);
        if (reply.truncatedMessages > 0) log.info({ truncatedMessages: reply.truncatedMessages }, 'thread cut to fit the model');
      }

      const saved = await saveDraft({ provider, mailbox, thread, owner, reply, jobKey, record, records, signal });
      log.info({ draftId: saved.draftId, updated: saved.updated }, 'reply draft saved');
      return toDraftResult(saved, reply);
    } catch (err) {
      throw toJobError(err);
    }
  };
}
