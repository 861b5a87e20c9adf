import type { Logger } from '@jobs/worker-kit';
import type { SeoAuditProgress } from '@jobs/queue-contracts';

/** Receives progress; may be async (e.g. `job.updateProgress`). */
export type ProgressListener = (progress: SeoAuditProgress) => void | Promise<void>;

/**
 * Throttles and serialises progress reports. Forced reports (a new depth level, a phase
 * change, the end) always go out; others go out only when `minIntervalMs` (default 250 ms) has
 * passed since the last one. Calls to the listener run one at a time in order and are not
 * awaited by the crawl; a failing listener is logged and ignored, since progress is advisory.
 */
export class ProgressReporter {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly listener: ProgressListener | undefined,
    private readonly log: Logger,
    private readonly minIntervalMs = 250,
  ) {}

  /** Reports `progress` unless throttled; `force` bypasses the throttle. */
  report(progress: SeoAuditProgress, force = false): void {
    const listener = this.listener;
    if (!listener) return;
    const now = performance.now();
    if (!force && now - this.lastSentAt < this.minIntervalMs) return;
    this.lastSentAt = now;
    const snapshot = { ...progress };
    this.queue = this.queue
      .then(() => listener(snapshot))
      .catch((err: unknown) => this.log.warn({ err }, 'progress listener failed; continuing'));
  }

  /** Resolves when every report so far has been delivered (or failed). */
  flush(): Promise<void> {
    return this.queue;
  }
}
