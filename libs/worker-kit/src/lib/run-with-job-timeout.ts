import { JobTimeoutError } from './job-timeout-error';

/** Longest timer Node can arm (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Runs `work` with a signal of its own and at most `timeoutMs` ms to settle.
 *
 * The signal given to `work` aborts when `outer` does (shutdown grace over, job cancelled; with
 * `outer`'s reason) or when `timeoutMs` passes (with a {@link JobTimeoutError} as the reason).
 * On the timeout this rejects at once with that JobTimeoutError, whether or not `work` ever
 * settles, so the caller's slot is free; what `work` does later is ignored (a late rejection is
 * swallowed rather than left unhandled).
 * @throws JobTimeoutError when `timeoutMs` passes first; else whatever `work` throws.
 */
export async function runWithJobTimeout<T>(work: (signal: AbortSignal) => Promise<T>, outer: AbortSignal, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  const forward = () => controller.abort(outer.reason);
  if (outer.aborted) forward();
  else outer.addEventListener('abort', forward, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new JobTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const running = Promise.resolve().then(() => work(controller.signal));
  running.catch(() => undefined);
  try {
    return await Promise.race([running, timedOut]);
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', forward);
  }
}
