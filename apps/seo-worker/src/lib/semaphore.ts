/**
 * A counting semaphore: at most `permits` holders at once, waiters served first come first
 * served. Hand-written (about 30 lines) because no semaphore package is among the app's
 * dependencies and the ones on npm are ESM-only or bring more than this needs; the crawler keeps
 * one per host to cap requests per host.
 */
export class Semaphore {
  private available: number;
  private readonly waiters: Array<() => void> = [];

  /**
   * @param permits - how many holders at once, an integer >= 1.
   * @throws RangeError when `permits` is not an integer >= 1.
   */
  constructor(readonly permits: number) {
    if (!Number.isInteger(permits) || permits < 1) {
      throw new RangeError(`permits must be an integer >= 1, got ${permits}`);
    }
    this.available = permits;
  }

  /**
   * Waits for a permit and returns the function that gives it back (call it exactly once; later
   * calls do nothing).
   * @throws the signal's reason when `signal` aborts before a permit is free.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.available > 0) {
      this.available -= 1;
    } else {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const index = this.waiters.indexOf(grant);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(signal?.reason);
        };
        const grant = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        this.waiters.push(grant);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // Hand the permit straight to the next waiter so a newcomer cannot overtake it.
      if (next) next();
      else this.available += 1;
    };
  }
}
