import { requestMatches, type FakeApifyRequestMatcher } from './fake-apify-request-match';

/** Options of {@link FakeApifyHolds.holdNext}. */
export interface FakeApifyHoldOptions {
  /** HTTP method, any case, e.g. `'POST'`. */
  readonly method: string;
  /** Tested against the path without query, e.g. `/\/runs$/`. */
  readonly pathPattern: RegExp;
}

/** A held answer: the request was processed, its answer waits for the test. */
export interface FakeApifyHeldRequest {
  /** Resolves once a matching request has been processed (e.g. the run IS started) and its answer is ready. */
  readonly reached: Promise<void>;
  /** Sends the answer (to a connection that may be gone by then). Works before `reached` too. */
  release(): void;
  /** Destroys the connection without an answer, as a network failure after the server acted would. */
  cut(): void;
}

/** What to do with a held answer. */
export type FakeApifyHoldOutcome = 'release' | 'cut';

interface Hold extends FakeApifyRequestMatcher {
  readonly markReached: () => void;
  readonly outcome: Promise<FakeApifyHoldOutcome>;
  readonly decide: (outcome: FakeApifyHoldOutcome) => void;
}

/** Holds set up by a test, each taken by the first matching request after it. */
export class FakeApifyHolds {
  /** Not yet taken by a request, in the order set up. */
  #waiting: Hold[] = [];
  /** Taken, answer not yet released or cut. */
  readonly #taken = new Set<Hold>();

  /** Holds the answer to the next request matching `method` and `pathPattern`. */
  holdNext({ method, pathPattern }: FakeApifyHoldOptions): FakeApifyHeldRequest {
    let markReached!: () => void;
    let decide!: (outcome: FakeApifyHoldOutcome) => void;
    const reached = new Promise<void>((resolve) => (markReached = resolve));
    const outcome = new Promise<FakeApifyHoldOutcome>((resolve) => (decide = resolve));
    this.#waiting.push({ method: method.toUpperCase(), pathPattern, markReached, outcome, decide });
    return { reached, release: () => decide('release'), cut: () => decide('cut') };
  }

  /**
   * For a processed request: the hold it is caught by, used up, as the promise of what to do
   * with its answer; `undefined` when none matches.
   */
  take(method: string, path: string): Promise<FakeApifyHoldOutcome> | undefined {
    const hold = this.#waiting.find((h) => requestMatches(h, method, path));
    if (!hold) return undefined;
    this.#waiting = this.#waiting.filter((h) => h !== hold);
    this.#taken.add(hold);
    void hold.outcome.then(() => this.#taken.delete(hold));
    hold.markReached();
    return hold.outcome;
  }

  /** Server closing: every hold still waiting (taken or not) is cut. */
  cutAll(): void {
    for (const hold of [...this.#waiting, ...this.#taken]) hold.decide('cut');
    this.#waiting = [];
  }
}
