import { PermanentJobError, RetryLaterError } from '@jobs/worker-kit';
import { MailboxNotConnectedError } from './credentials/mailbox-not-connected-error';
import { DraftMailboxUnresolvedError } from './drafts/draft-mailbox-unresolved-error';
import { ThreadNotFoundError } from './drafts/thread-not-found-error';
import { ProviderRejectedError } from './providers/provider-rejected-error';
import { ProviderThrottledError } from './providers/provider-throttled-error';
import { SinkBackpressureError } from './sinks/sink-backpressure-error';
import { StateRecordCorruptError } from './state/state-record-corrupt-error';
import { MailboxSyncBusyError } from './sync/mailbox-sync-busy-error';

/** Wait when a provider throttles without saying how long (ms). */
export const DEFAULT_THROTTLE_DELAY_MS = 30_000;
/** Longest wait taken from a `Retry-After` (ms); a longer one is capped so the job checks back. */
export const MAX_THROTTLE_DELAY_MS = 15 * 60_000;

// Errors that no retry can fix.
const PERMANENT = [MailboxNotConnectedError, ProviderRejectedError, ThreadNotFoundError, DraftMailboxUnresolvedError, StateRecordCorruptError] as const;
/** Longest wait before checking again whether another sync of the mailbox has ended (ms). */
const BUSY_MAILBOX_RECHECK_MS = 5000;

/**
 * The one place where the email worker's errors become job outcomes:
 * - throttling (provider or chat API) and a full sink → RetryLaterError: only this job waits,
 *   for `Retry-After` (default 30 s, at most 15 min), without using an attempt; so does a sync
 *   whose mailbox another sync holds (MailboxSyncBusyError, checked again within about 5 s);
 * - a mailbox whose grant is gone, a request the provider refuses for good, a thread to answer
 *   that is not there (ThreadNotFoundError) or no single mailbox to draft in
 *   (DraftMailboxUnresolvedError), or a stored record that reads back unusable
 *   (StateRecordCorruptError) → PermanentJobError (no retries; the message says what to do);
 * - anything else is returned as is and retried with the job's backoff.
 */
export function toJobError(err: unknown): unknown {
  if (err instanceof ProviderThrottledError) {
    const delayMs = Math.min(MAX_THROTTLE_DELAY_MS, Math.max(1000, err.retryAfterMs ?? DEFAULT_THROTTLE_DELAY_MS));
    return new RetryLaterError(delayMs, err.message, { cause: err });
  }
  if (err instanceof SinkBackpressureError) return new RetryLaterError(err.retryAfterMs, err.message, { cause: err });
  if (err instanceof MailboxSyncBusyError) {
    // Check back within 5 s rather than when the lock would expire: the other sync usually
    // ends well before that.
    return new RetryLaterError(Math.min(err.heldForMs, BUSY_MAILBOX_RECHECK_MS) + 250, err.message, { cause: err });
  }
  if (PERMANENT.some((kind) => err instanceof kind)) {
    return new PermanentJobError((err as Error).message, { cause: err });
  }
  return err;
}
