import type { Logger } from './logger-type';

/** One release function and what it releases (for the log). */
interface Releaser {
  readonly name: string;
  release(): Promise<void> | void;
}

/**
 * What a worker app acquired, released last-in first-out: each resource registers its release
 * right after it is acquired, so a start that fails half-way releases exactly what it got, and
 * shutdown releases everything in the reverse order of acquisition (a client after what uses
 * it). Modelled on graphile-worker's `withReleasers` (src/lib.ts).
 *
 * `release()` runs every releaser once even when some throw (each failure is logged), and
 * rejects afterwards with the first error; later calls return the same promise. A releaser
 * added after `release()` started runs as soon as that release has finished (a resource
 * acquired by a start still in flight while the process shuts down), so nothing is kept.
 */
export class Releasers {
  private readonly stack: Releaser[] = [];
  private releasing: Promise<void> | undefined;

  constructor(private readonly log: Logger) {}

  /** Registers the release of a resource just acquired. */
  add(name: string, release: () => Promise<void> | void): void {
    if (this.releasing) {
      void this.releasing.catch(() => undefined).then(() => this.runOne({ name, release }));
      return;
    }
    this.stack.push({ name, release });
  }

  /** Number of releasers not yet run. */
  get size(): number {
    return this.stack.length;
  }

  /**
   * Runs every releaser, newest first, each guarded.
   * @throws the first error a releaser threw, after all of them ran.
   */
  release(): Promise<void> {
    this.releasing ??= (async () => {
      let first: { error: unknown } | undefined;
      for (let releaser = this.stack.pop(); releaser; releaser = this.stack.pop()) {
        const error = await this.runOne(releaser);
        if (error && !first) first = error;
      }
      if (first) throw first.error;
    })();
    return this.releasing;
  }

  private async runOne(releaser: Releaser): Promise<{ error: unknown } | undefined> {
    try {
      await releaser.release();
      this.log.debug({ resource: releaser.name }, 'released');
      return undefined;
    } catch (error) {
      this.log.error({ err: error, resource: releaser.name }, 'releasing failed');
      return { error };
    }
  }
}
