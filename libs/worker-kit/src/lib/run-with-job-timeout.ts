import { JobTimeoutError } from './job-timeout-error';

/** Longest timer Node can arm (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Runs `work` with at most `timeoutMs` ms to settle.
 *
 * When the timeout passes first, `onTimeout` is called with a {@link JobTimeoutError} (the caller
 * aborts the job's signal with it) and this rejects at once with that error, whether or not
 * `work` ever settles, so the caller's slot is free; what `work` does later is ignored (a late
 * rejection is handled, not left unhandled). One timer per call, nothing else allocated.
 * @throws JobTimeoutError when `timeoutMs` passes first; else whatever `work` throws.
 */
export function runWithJobTimeout<T>(work: () => Promise<T>, timeoutMs: number, onTimeout: (error: JobTimeoutError) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new JobTimeoutError(timeoutMs);
      onTimeout(error);
      reject(error);
    }, timeoutMs);
    let running: Promise<T>;
    try {
      // Called here rather than in a .then: one promise and one microtask fewer per job; a
      // handler that throws before its first await is still a rejection, not an escape.
      running = Promise.resolve(work());
    } catch (err) {
      clearTimeout(timer);
      reject(err);
      return;
    }
    running.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
