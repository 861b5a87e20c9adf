import type { FakeApifyActor } from './fake-apify-actors';
import { FakeApifyRun, type FakeApifyRunOptions } from './fake-apify-run';

/** Every run the fake started, indexed by run id and by default dataset id. */
export class FakeApifyRunStore {
  readonly #runs: FakeApifyRun[] = [];
  readonly #byId = new Map<string, FakeApifyRun>();
  readonly #byDataset = new Map<string, FakeApifyRun>();

  /** Starts a run of `actor` (READY now, RUNNING on the next tick). */
  start(actor: FakeApifyActor, input: unknown, options: FakeApifyRunOptions, inputBodyLen: number): FakeApifyRun {
    const run = new FakeApifyRun(actor, input, options, inputBodyLen);
    this.#runs.push(run);
    this.#byId.set(run.id, run);
    this.#byDataset.set(run.defaultDatasetId, run);
    return run;
  }

  /** Every run, in start order. */
  all(): readonly FakeApifyRun[] {
    return this.#runs;
  }

  /** The run with this id, or `undefined`. */
  get(runId: string): FakeApifyRun | undefined {
    return this.#byId.get(runId);
  }

  /** The run whose default dataset is `datasetId`. */
  byDataset(datasetId: string): FakeApifyRun | undefined {
    return this.#byDataset.get(datasetId);
  }

  /**
   * Waits until `run` is terminal, `ms` have passed, or `signal` aborts, whichever is first;
   * the server's long-poll (`waitForFinish`).
   */
  async waitForFinish(run: FakeApifyRun, ms: number, signal: AbortSignal): Promise<void> {
    if (run.isTerminal || ms <= 0 || signal.aborted) return;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        run.finished,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, ms);
          timer.unref();
          onAbort = resolve;
          signal.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  /** Stops every run's timers (server closing). */
  dispose(): void {
    for (const run of this.#runs) run.dispose();
  }
}
