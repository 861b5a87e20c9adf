import { PermanentJobError, RetryLaterError } from '@jobs/worker-kit';
import { MailboxNotConnectedError } from './credentials/mailbox-not-connected-error';
import { DraftMailboxUnresolvedError } from './drafts/draft-mailbox-unresolved-error';
import { ThreadNotFoundError } from './drafts/thread-not-found-error';
import { ProviderRejectedError } from './providers/provider-rejected-error';
import { ProviderThrottledError } from './providers/provider-throttled-error';
import { ProviderUnavailableError } from './providers/provider-unavailable-error';
import { SinkBackpressureError } from './sinks/sink-backpressure-error';
import { StateRecordCorruptError } from './state/state-record-corrupt-error';
import { MailboxSyncBusyError } from './sync/mailbox-sync-busy-error';
import { DEFAULT_THROTTLE_DELAY_MS, MAX_THROTTLE_DELAY_MS, toJobError } from './to-job-error';

describe('toJobError: the email worker\'s one map from errors to job outcomes', () => {
  it.each([
    new MailboxNotConnectedError('reconnect the mailbox'),
    new ProviderRejectedError('missing scope'),
    new ThreadNotFoundError('t-1'),
    new DraftMailboxUnresolvedError('u-1', 't-1', 'no connected mailbox'),
    new StateRecordCorruptError('k', 'checkpoint: not JSON', 'delete the key'),
  ])('%s → PermanentJobError with its message, the original as cause', (err) => {
    const mapped = toJobError(err);
    expect(mapped).toBeInstanceOf(PermanentJobError);
    expect(mapped).toMatchObject({ message: err.message, cause: err });
  });

  it.each([
    { err: new ProviderThrottledError(7000, 'slow down'), delayMs: 7000 },
    { err: new ProviderThrottledError(null, 'slow down'), delayMs: DEFAULT_THROTTLE_DELAY_MS },
    { err: new ProviderThrottledError(10, 'slow down'), delayMs: 1000 },
    { err: new ProviderThrottledError(86_400_000, 'slow down'), delayMs: MAX_THROTTLE_DELAY_MS },
    { err: new SinkBackpressureError(2500, 'stream full'), delayMs: 2500 },
    { err: new MailboxSyncBusyError('gmail:a', 60_000), delayMs: 5250 },
    { err: new MailboxSyncBusyError('gmail:a', 800), delayMs: 1050 },
  ])('$err.name → RetryLaterError after $delayMs ms', ({ err, delayMs }) => {
    const mapped = toJobError(err);
    expect(mapped).toBeInstanceOf(RetryLaterError);
    expect(mapped).toMatchObject({ delayMs, message: err.message, cause: err });
  });

  it('anything else is returned as is (retried with the job\'s backoff)', () => {
    const err = new ProviderUnavailableError('503');
    expect(toJobError(err)).toBe(err);
  });
});
