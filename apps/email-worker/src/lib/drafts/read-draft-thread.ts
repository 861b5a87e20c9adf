import type { SyncedEmailMessage } from '@jobs/queue-contracts';
import type { MailboxRef } from '../mailbox-ref';
import type { MailProvider, ThreadMessage } from '../providers/mail-provider';
import { ProviderNotFoundError } from '../providers/provider-not-found-error';
import { parseMessage } from '../sync/parse-message';
import { ThreadNotFoundError } from './thread-not-found-error';

/** A thread read for a reply draft: as downloaded, and its non-draft messages parsed. */
export interface DraftThread {
  /** Every message, drafts included (the provider's draft code looks for its own draft here). */
  readonly messages: ThreadMessage[];
  /** The last non-draft message, as downloaded: the one the draft answers. */
  readonly replyToRaw: ThreadMessage;
  /** The non-draft messages, parsed, oldest first; the last is `replyTo`. */
  readonly parsed: readonly SyncedEmailMessage[];
  /** `replyToRaw` parsed. */
  readonly replyTo: SyncedEmailMessage;
}

/** What {@link readDraftThread} needs. */
export interface ReadDraftThreadInput {
  readonly provider: MailProvider;
  readonly mailbox: MailboxRef;
  readonly threadId: string;
  /** The thread when finding the mailbox read it already (not read twice), else null. */
  readonly alreadyRead: ThreadMessage[] | null;
  readonly signal: AbortSignal;
}

/**
 * Draft step 2: the thread to answer, read from the mailbox (unless already read) and parsed
 * with mailparser; drafts in it are kept but not answered.
 * @throws ThreadNotFoundError when the provider does not have the thread (404) or it holds no
 *   message but drafts; provider errors otherwise.
 */
export async function readDraftThread(input: ReadDraftThreadInput): Promise<DraftThread> {
  const { provider, mailbox, threadId } = input;
  let messages: ThreadMessage[];
  try {
    messages = input.alreadyRead ?? (await provider.readThread(mailbox, threadId, input.signal));
  } catch (err) {
    if (!(err instanceof ProviderNotFoundError)) throw err;
    throw new ThreadNotFoundError(threadId, `Thread ${threadId} does not exist in ${mailbox.provider} account ${mailbox.accountId}`, { cause: err });
  }
  const answerable = messages.filter((m) => !m.isDraft);
  const replyToRaw = answerable.at(-1);
  if (!replyToRaw) throw new ThreadNotFoundError(threadId, `Thread ${threadId} has no message to reply to`);
  const parsed = await Promise.all(answerable.map((m) => parseMessage(m)));
  return { messages, replyToRaw, parsed, replyTo: parsed[parsed.length - 1] as SyncedEmailMessage };
}
