import type { HeldAnswer } from '../shared/held-answer';

/** Options of {@link FakeApifyServer.holdNext}. */
export interface FakeApifyHoldOptions {
  /** HTTP method, any case, e.g. `'POST'`. */
  readonly method: string;
  /** Tested against the path without query, e.g. `/\/runs$/`. */
  readonly pathPattern: RegExp;
}

/**
 * A held answer of the fake Apify server: the request was processed (e.g. the run IS started),
 * its answer waits for the test's `release()` or `cut()`; the server closing cuts it.
 */
export type FakeApifyHeldRequest = HeldAnswer;
