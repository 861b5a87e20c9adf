import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderUnavailableError } from './provider-unavailable-error';

/** Retries of one idempotent provider read in place, before the job's own backoff takes over. */
export const TRANSIENT_RETRIES = 3;
/** First wait between in-place retries (ms); doubles each time (250, 500, 1000). */
export const TRANSIENT_BASE_DELAY_MS = 250;

/**
 * Runs an idempotent provider call, retrying a ProviderUnavailableError (5xx, network) up to
 * `retries` times with doubling waits, so one blip does not cost a whole sync page. Throttling
 * is never retried here: it is the job's to wait out, without holding a worker slot.
 * The official clients' own retries are turned off, so attempts are not multiplied.
 */
export async function retryTransient<T>(
  call: () => Promise<T>,
  signal: AbortSignal,
  retries = TRANSIENT_RETRIES,
  baseDelayMs = TRANSIENT_BASE_DELAY_MS,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ProviderUnavailableError) || attempt >= retries || signal.aborted) throw err;
      await sleep(baseDelayMs * 2 ** attempt, undefined, { signal });
    }
  }
}
