import type { FakeApifyActor, FakeApifyItem } from './fake-apify-actors';
import { fakeApifyId } from './fake-apify-ids';

/** Apify's actor job statuses (docs.apify.com, "Runs and builds", lifecycle). */
export type FakeApifyRunStatus = 'READY' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTING' | 'ABORTED' | 'TIMING-OUT' | 'TIMED-OUT';

/** The statuses a run never leaves (as `ACT_JOB_TERMINAL_STATUSES` in `@apify/consts`). */
export const FAKE_APIFY_TERMINAL_STATUSES: ReadonlySet<FakeApifyRunStatus> = new Set(['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED-OUT']);

/** The run options Apify reports in `run.options`. */
export interface FakeApifyRunOptions {
  readonly build: string;
  readonly timeoutSecs: number;
  readonly memoryMbytes: number;
  readonly diskMbytes: number;
  readonly maxItems?: number;
}

/** How long a graceful abort stays ABORTING before ABORTED, ms (Apify allows up to 30 s). */
const GRACEFUL_ABORT_MS = 20;

/**
 * One actor run and its lifecycle: READY at creation, RUNNING on the next tick (when the
 * actor's `fail`, then `run`, is called), then SUCCEEDED once both `durationMs` has passed and
 * `run` has resolved; FAILED (with `fail`'s message, or `run`'s error) at the same moment;
 * TIMED-OUT when `timeoutSecs` passes first (straight there: TIMING-OUT is never reported);
 * ABORTED (via ABORTING for 20 ms when graceful) on abort. `exitCode` is 0 for SUCCEEDED, 1 for
 * FAILED, null otherwise.
 *
 * The items `run` returns appear in the default dataset evenly over `durationMs` (item k of n
 * from `startedAt + durationMs * (k + 1) / n`), so an aborted or timed-out run keeps the ones
 * pushed so far; a FAILED run keeps none. All timers are unref'd.
 */
export class FakeApifyRun {
  readonly id = fakeApifyId();
  readonly defaultDatasetId = fakeApifyId();
  readonly defaultKeyValueStoreId = fakeApifyId();
  readonly defaultRequestQueueId = fakeApifyId();
  readonly buildId = fakeApifyId();
  readonly startedAt = new Date();
  status: FakeApifyRunStatus = 'READY';
  statusMessage: string | null = null;
  exitCode: number | null = null;
  finishedAt: Date | null = null;
  /** Resolves when the run reaches a terminal status. */
  readonly finished: Promise<void>;

  #markFinished!: () => void;
  #produced: readonly FakeApifyItem[] | undefined;
  #failure: string | undefined;
  #durationElapsed = false;
  #frozenCount: number | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #log: string[] = [];
  readonly #logListeners = new Set<(line: string) => void>();

  constructor(
    readonly actor: FakeApifyActor,
    readonly input: unknown,
    readonly options: FakeApifyRunOptions,
    /** Bytes of the request body. */
    readonly inputBodyLen: number,
  ) {
    this.finished = new Promise<void>((resolve) => (this.#markFinished = resolve));
    this.#appendLog(`ACTOR: Run ${this.id} of ${actor.username}/${actor.name} created (build ${options.build}, ${options.memoryMbytes} MB, timeout ${options.timeoutSecs} s).`);
    this.#schedule(0, () => this.#begin());
    this.#schedule(actor.durationMs, () => {
      this.#durationElapsed = true;
      this.#maybeFinish();
    });
    const timeoutMs = options.timeoutSecs * 1000;
    if (Number.isFinite(timeoutMs) && timeoutMs > 0) this.#schedule(timeoutMs, () => this.#timeOut());
  }

  /** Whether the run has reached a terminal status. */
  get isTerminal(): boolean {
    return FAKE_APIFY_TERMINAL_STATUSES.has(this.status);
  }

  /** The items in the run's default dataset now. */
  items(now = Date.now()): readonly FakeApifyItem[] {
    const produced = this.#produced ?? [];
    if (this.status === 'SUCCEEDED') return produced;
    return produced.slice(0, this.#frozenCount ?? this.#pushedCount(now));
  }

  /** The run's log so far, one `ISO-timestamp message` line each, `\n`-terminated. */
  logText(): string {
    return this.#log.join('');
  }

  /** Calls `listener` with each log line appended from now on; returns the unsubscribe. */
  onLog(listener: (line: string) => void): () => void {
    this.#logListeners.add(listener);
    return () => this.#logListeners.delete(listener);
  }

  /**
   * Aborts a READY, RUNNING or TIMING-OUT run: at once to ABORTED, or with `gracefully` through
   * ABORTING. Does nothing to a terminal or already ABORTING run (as Apify documents).
   */
  abort(gracefully: boolean): void {
    if (this.isTerminal || this.status === 'ABORTING') return;
    this.#freeze();
    this.#clearTimers();
    if (!gracefully) {
      this.#end('ABORTED', 'Actor was aborted', null);
      return;
    }
    this.status = 'ABORTING';
    this.statusMessage = 'Actor is aborting';
    this.#appendLog('ACTOR: Aborting the run gracefully.');
    this.#schedule(GRACEFUL_ABORT_MS, () => this.#end('ABORTED', 'Actor was aborted', null));
  }

  /** Stops every timer (server closing); the status stays as it is. */
  dispose(): void {
    this.#clearTimers();
    this.#logListeners.clear();
  }

  #begin(): void {
    if (this.status !== 'READY') return;
    this.status = 'RUNNING';
    this.#appendLog('ACTOR: Actor started.');
    let failure: string | null = null;
    try {
      failure = this.actor.fail?.(this.input) ?? null;
    } catch (err) {
      failure = messageOf(err);
    }
    if (failure !== null) {
      this.#settle([], failure);
      return;
    }
    Promise.resolve()
      .then(() => this.actor.run(this.input))
      .then(
        (items) => {
          if (!Array.isArray(items) || items.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
            this.#settle([], 'Actor run() must return an array of JSON objects');
          } else this.#settle(items, undefined);
        },
        (err: unknown) => this.#settle([], messageOf(err)),
      );
  }

  #settle(items: readonly FakeApifyItem[], failure: string | undefined): void {
    if (this.isTerminal || this.status === 'ABORTING') return;
    this.#produced = items;
    this.#failure = failure;
    this.#maybeFinish();
  }

  #maybeFinish(): void {
    if (this.status !== 'RUNNING' || !this.#durationElapsed || this.#produced === undefined) return;
    if (this.#failure !== undefined) {
      this.#frozenCount = 0;
      this.#end('FAILED', this.#failure, 1);
      return;
    }
    this.#appendLog(`ACTOR: Pushed ${this.#produced.length} item(s) to dataset ${this.defaultDatasetId}.`);
    this.#end('SUCCEEDED', null, 0);
  }

  #timeOut(): void {
    if (this.isTerminal || this.status === 'ABORTING') return;
    this.#freeze();
    this.#end('TIMED-OUT', `Actor timed out after ${this.options.timeoutSecs} s`, null);
  }

  #end(status: FakeApifyRunStatus, message: string | null, exitCode: number | null): void {
    this.#clearTimers();
    this.status = status;
    this.statusMessage = message;
    this.exitCode = exitCode;
    this.finishedAt = new Date();
    this.#appendLog(`ACTOR: Run ${status}${message === null ? '' : `: ${message}`}`);
    this.#markFinished();
    this.#logListeners.clear();
  }

  /** Keeps the items pushed so far as the dataset's final content. */
  #freeze(): void {
    this.#frozenCount ??= this.#pushedCount(Date.now());
  }

  #pushedCount(now: number): number {
    const n = this.#produced?.length ?? 0;
    if (n === 0) return 0;
    if (this.actor.durationMs <= 0) return n;
    return Math.min(n, Math.floor((n * (now - this.startedAt.getTime())) / this.actor.durationMs));
  }

  #appendLog(message: string): void {
    const line = `${new Date().toISOString()} ${message}\n`;
    this.#log.push(line);
    for (const listener of this.#logListeners) listener(line);
  }

  /**
   * Calls `fn` once `ms` have passed since the run started, by `Date.now()`. A Node timer counts
   * from the event loop's cached time, which on a busy machine can be behind the clock that
   * stamped `startedAt`, so a timer alone may fire early by that clock: re-arm until it is due.
   */
  #schedule(ms: number, fn: () => void): void {
    const due = this.startedAt.getTime() + ms;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (Date.now() < due) this.#schedule(due - this.startedAt.getTime(), fn);
      else fn();
    }, Math.max(0, due - Date.now()));
    timer.unref();
    this.#timers.add(timer);
  }

  #clearTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
