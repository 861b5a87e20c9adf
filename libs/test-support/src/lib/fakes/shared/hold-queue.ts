import type { HeldAnswer, HeldAnswerOutcome } from './held-answer';
import { requestMatches, type RequestMatcher } from './request-matcher';

interface Hold {
  readonly matcher: RequestMatcher;
  readonly markReached: () => void;
  readonly outcome: Promise<HeldAnswerOutcome>;
  readonly decide: (outcome: HeldAnswerOutcome) => void;
}

/**
 * Answers a test holds back (to act while a client waits, e.g. kill a worker after the call was
 * placed): each hold is taken by the first processed request matching it after it was set up.
 */
export class HoldQueue {
  /** Not yet taken by a request, in the order set up. */
  #waiting: Hold[] = [];
  /** Taken, answer not yet released or cut. */
  readonly #taken = new Set<Hold>();

  /** Holds the answer to the next processed request matching `matcher`. */
  holdNext(matcher: RequestMatcher): HeldAnswer {
    let markReached!: () => void;
    let decide!: (outcome: HeldAnswerOutcome) => void;
    const reached = new Promise<void>((resolve) => (markReached = resolve));
    const outcome = new Promise<HeldAnswerOutcome>((resolve) => (decide = resolve));
    this.#waiting.push({ matcher, markReached, outcome, decide });
    return { reached, release: () => decide('release'), cut: () => decide('cut') };
  }

  /**
   * For a processed request: the hold it is caught by, used up and marked reached, as the
   * promise of what to do with its answer; `undefined` when none matches.
   */
  take(method: string, path: string): Promise<HeldAnswerOutcome> | undefined {
    const hold = this.#waiting.find((h) => requestMatches(h.matcher, method, path));
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
