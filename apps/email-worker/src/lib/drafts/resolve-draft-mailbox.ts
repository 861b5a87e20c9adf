import type { EmailProvider, JobData } from '@jobs/queue-contracts';
import type { MailboxDirectory } from '../credentials/mailbox-directory';
import type { MailboxRef } from '../mailbox-ref';
import type { MailProvider, ThreadMessage } from '../providers/mail-provider';
import type { DraftRecord, DraftRecordStore } from './draft-record-store';
import { findThreadMailbox } from './find-thread-mailbox';

/** What {@link resolveDraftMailbox} needs. */
export interface ResolveDraftMailboxInput {
  readonly data: JobData<'EMAIL_DRAFT'>;
  /** The job's draft record key, and what earlier attempts recorded under it. */
  readonly jobKey: string;
  readonly record: DraftRecord;
  readonly records: DraftRecordStore;
  readonly directory: MailboxDirectory;
  readonly providers: Readonly<Record<EmailProvider, MailProvider>>;
  readonly signal: AbortSignal;
}

/** The mailbox to draft in; `thread` when finding it meant reading the thread already. */
export interface DraftMailbox {
  readonly mailbox: MailboxRef;
  readonly thread: ThreadMessage[] | null;
  /** True when this attempt asked the app and the providers (false: named by the job or recorded). */
  readonly lookedUp: boolean;
}

/**
 * Which mailbox an `EMAIL_DRAFT` job drafts in, in this order:
 * 1. the job names both `accountId` and `emailProvider`: that one, nothing asked;
 * 2. an earlier attempt of this job found one (DraftRecord `mailbox`): that one again, so a retry
 *    updates its own draft where it lives, even if the user connected or dropped a mailbox since;
 * 3. otherwise the one of the user's connected mailboxes that holds the thread
 *    (findThreadMailbox; a job naming only one of the two fields narrows the search), recorded
 *    before anything else is done.
 *
 * @throws DraftMailboxUnresolvedError from findThreadMailbox (no mailbox, none or several holding the thread).
 */
export async function resolveDraftMailbox(input: ResolveDraftMailboxInput): Promise<DraftMailbox> {
  const { data, record } = input;
  if (data.accountId !== undefined && data.emailProvider !== undefined) {
    return { mailbox: { userId: data.userId, accountId: data.accountId, provider: data.emailProvider }, thread: null, lookedUp: false };
  }
  if (record.mailbox !== null) {
    return { mailbox: { userId: data.userId, accountId: record.mailbox.accountId, provider: record.mailbox.provider }, thread: null, lookedUp: false };
  }
  const found = await findThreadMailbox({
    directory: input.directory,
    providers: input.providers,
    userId: data.userId,
    threadId: data.threadId,
    only: { accountId: data.accountId, provider: data.emailProvider },
    signal: input.signal,
  });
  await input.records.saveMailbox(input.jobKey, found.mailbox);
  return { mailbox: found.mailbox, thread: found.thread, lookedUp: true };
}
