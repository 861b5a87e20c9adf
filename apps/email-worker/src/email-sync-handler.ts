import type { JobHandler } from '@jobs/worker-kit';
import type { MailProvider } from './lib/providers/mail-provider';
import type { EmailProvider } from '@jobs/queue-contracts';
import { mailboxKey } from './lib/mailbox-ref';
import type { MailboxLock } from './lib/sync/mailbox-lock';
import { MailboxSyncBusyError } from './lib/sync/mailbox-sync-busy-error';
import { syncMailbox, type SyncMailboxDeps } from './lib/sync/sync-mailbox';
import { toJobError } from './lib/to-job-error';

/** What the `EMAIL_SYNC` handler works with. */
export interface SyncHandlerDeps extends Omit<SyncMailboxDeps, 'provider'> {
  readonly providers: Readonly<Record<EmailProvider, MailProvider>>;
  readonly lock: MailboxLock;
}

/**
 * `EMAIL_SYNC`: takes the mailbox's lock (another sync of it running → MailboxSyncBusyError:
 * this job waits, no attempt used), then `syncMailbox`, reporting progress per page. Every
 * error leaves through toJobError. A lost lock stops the sync
 * (`LockLostError`, retried): its checkpoint is kept, so the next attempt resumes from it.
 */
export function createEmailSyncHandler(deps: SyncHandlerDeps): JobHandler<'EMAIL_SYNC'> {
  return async ({ data, signal, log, updateProgress }) => {
    const mailbox = { userId: data.userId, accountId: data.accountId, provider: data.emailProvider };
    const held = await deps.lock.acquire(mailbox);
    if ('heldForMs' in held) throw toJobError(new MailboxSyncBusyError(mailboxKey(mailbox), held.heldForMs));
    try {
      const result = await syncMailbox(
        { ...deps, provider: deps.providers[data.emailProvider] },
        {
          mailbox,
          syncSince: data.syncSince,
          // Stop when the job is aborted, and also when the mailbox lock was lost (another sync
          // may hold it now and would race on the cursor).
          signal: AbortSignal.any([signal, held.signal]),
          onProgress: async (progress) => {
            await updateProgress(progress);
            log.debug(progress, 'sync page handed over');
          },
        },
      );
      log.info({ ...result, cursor: undefined }, 'mailbox synced');
      return result;
    } catch (err) {
      throw toJobError(err);
    } finally {
      await held.release();
    }
  };
}
