import { createHash } from 'node:crypto';
import { PermanentJobError, type JobHandler } from '@jobs/worker-kit';
import type { EmailProvider } from '@jobs/queue-contracts';
import type { MailboxDirectory } from './lib/credentials/mailbox-directory';
import { buildDraftPrompt, type QuotedMessage } from './lib/drafts/build-draft-prompt';
import type { DraftRecordStore } from './lib/drafts/draft-record-store';
import { ContextLengthExceededError, type ReplyWriter } from './lib/drafts/reply-writer';
import { resolveDraftMailbox } from './lib/drafts/resolve-draft-mailbox';
import type { MailProvider, ThreadMessage } from './lib/providers/mail-provider';
import { ProviderNotFoundError } from './lib/providers/provider-errors';
import { parseMessage } from './lib/sync/parse-message';
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

/** Longest thread message text quoted before budgeting (characters). */
const MAX_QUOTED_CHARS = 20_000;

const formatAddresses = (list: { name: string; address: string }[]) =>
  list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');

/**
 * `EMAIL_DRAFT`: reads the thread, writes a reply with the chat model and saves it as a reply
 * draft in the same thread — never sends it. A job without `accountId` and `emailProvider` (as
 * the seed README enqueues it) drafts in the one of the user's connected mailboxes that holds
 * the thread (resolveDraftMailbox).
 *
 * Idempotent per job: the reply written and the draft id are recorded (DraftRecordStore) as soon
 * as they exist, so a retry after any later failure reuses the reply and updates the same draft.
 * A prompt the server finds too long is rebuilt with half the budget, up to three times.
 *
 * @throws PermanentJobError when the thread does not exist or holds nothing to reply to, and
 *   when the job names no mailbox and the user has none, or none or several hold the thread.
 */
export function createEmailDraftHandler(deps: DraftHandlerDeps): JobHandler<'EMAIL_DRAFT'> {
  return async ({ job, data, signal, log }) => {
    // The job id plus its creation time: a later job that reuses the id (after the first was
    // removed) is a new draft, not a retry of the old one.
    const jobKey = `${job.id ?? `${data.userId}:${data.threadId}`}:${job.timestamp}`;
    try {
      const record = await deps.records.load(jobKey);
      const chosen = await resolveDraftMailbox({ data, jobKey, record, records: deps.records, directory: deps.directory, providers: deps.providers, signal });
      const { mailbox } = chosen;
      const provider = deps.providers[mailbox.provider];
      if (chosen.lookedUp) log.info({ accountId: mailbox.accountId, provider: mailbox.provider }, 'thread found in the user\'s mailbox');
      let thread: ThreadMessage[];
      try {
        thread = chosen.thread ?? (await provider.readThread(mailbox, data.threadId, signal));
      } catch (err) {
        if (err instanceof ProviderNotFoundError) {
          throw new PermanentJobError(`Thread ${data.threadId} does not exist in ${mailbox.provider} account ${mailbox.accountId}`);
        }
        throw err;
      }
      const messages = thread.filter((m) => !m.isDraft);
      const replyToRaw = messages.at(-1);
      if (!replyToRaw) throw new PermanentJobError(`Thread ${data.threadId} has no message to reply to`);
      const parsed = await Promise.all(messages.map((m) => parseMessage(m)));
      const replyTo = parsed.at(-1) as (typeof parsed)[number];
      const owner = await provider.mailboxAddress(mailbox, signal);

      let reply = record.reply;
      if (reply === null) {
        const quoted: QuotedMessage[] = parsed.map((m) => ({
          from: formatAddresses(m.from),
          to: formatAddresses(m.to),
          date: m.date,
          subject: m.subject,
          text: (m.text ?? '').slice(0, MAX_QUOTED_CHARS),
        }));
        let budget = deps.contextWindowTokens - deps.maxOutputTokens;
        for (let tries = 0; reply === null; tries += 1) {
          const prompt = buildDraftPrompt({ ownerAddress: owner, tone: data.tone, context: data.context, thread: quoted, budgetTokens: budget });
          try {
            const written = await deps.writer.write(prompt.messages, signal);
            reply = { ...written, truncatedMessages: prompt.truncatedMessages };
          } catch (err) {
            if (!(err instanceof ContextLengthExceededError) || tries >= 3) throw err;
            budget = Math.floor(budget / 2);
            log.warn({ budget }, 'prompt too long for the model: quoting less of the thread');
          }
        }
        await deps.records.saveReply(jobKey, reply);
        if (reply.truncatedMessages > 0) log.info({ truncatedMessages: reply.truncatedMessages }, 'thread cut to fit the model');
      }

      const baseSubject = replyTo.subject ?? '';
      const subject = /^re:/i.test(baseSubject) ? baseSubject : `Re: ${baseSubject}`.trim();
      const fromOwner = replyTo.from.some((a) => a.address.toLowerCase() === owner.toLowerCase());
      // Answering our own last message means following up with its recipients.
      const to = fromOwner ? replyTo.to : replyTo.replyTo.length > 0 ? replyTo.replyTo : replyTo.from;
      const saved = await provider.saveReplyDraft(
        mailbox,
        {
          replyTo: replyToRaw,
          thread,
          draftMessageId: `<draft-${createHash('sha256').update(jobKey).digest('hex').slice(0, 32)}@email-worker.invalid>`,
          from: owner,
          to,
          subject,
          body: reply.body,
          inReplyTo: replyTo.internetMessageId,
          references: [...replyTo.references, ...(replyTo.internetMessageId ? [replyTo.internetMessageId] : [])],
        },
        {
          existingDraftId: record.draftId,
          onCreated: (draftId) => deps.records.saveDraftId(jobKey, draftId),
          signal,
        },
      );
      log.info({ draftId: saved.draftId, updated: record.draftId !== null }, 'reply draft saved');
      return {
        draftId: saved.draftId,
        threadId: saved.threadId,
        subject,
        body: reply.body,
        model: reply.model,
        promptTokens: reply.promptTokens,
        completionTokens: reply.completionTokens,
        truncatedMessages: reply.truncatedMessages,
      };
    } catch (err) {
      throw toJobError(err);
    }
  };
}
