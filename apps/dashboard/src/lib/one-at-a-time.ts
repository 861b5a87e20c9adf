/**
 * Runs tasks one after another, with at most `maxWaiting` queued behind the running one.
 * The login's scrypt check takes 128 MiB while it runs (N = 2^17, r = 8): four at once on
 * libuv's four threads would take 512 MiB, enough for a burst of logins to get the pod killed for
 * memory. One at a time bounds it, at the price of logins waiting their turn (a fraction of a second each).
 */
export class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(private readonly maxWaiting: number) {}

  /**
   * Runs `task` after those already queued.
   * @returns its result, or undefined without running it when `maxWaiting` tasks already wait.
   */
  run<T>(task: () => Promise<T>): Promise<T | undefined> {
    if (this.waiting >= this.maxWaiting) return Promise.resolve(undefined);
    this.waiting += 1;
    const result = this.tail.then(() => {
      this.waiting -= 1;
      return task();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
