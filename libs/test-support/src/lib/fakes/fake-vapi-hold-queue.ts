import { fakeVapiRequestMatches, type FakeVapiRequestMatcher } from './fake-vapi-request-matcher';

/** A test's handle on a held answer. */
export interface FakeVapiHeldAnswer {
  /** Resolves when the matching request has arrived and been processed (its answer is ready, not sent). */
  readonly reached: Promise<void>;
  /** Sends the answer (at once, if the request comes later). Idempotent. */
  release(): void;
}

interface Hold {
  readonly matcher: FakeVapiRequestMatcher;
  readonly markReached: () => void;
  readonly released: Promise<void>;
  readonly release: () => void;
}

/** Answers to hold back: each applies once, to the first processed request matching it. */
export class FakeVapiHoldQueue {
  #holds: Hold[] = [];

  /** Holds the answer to the next processed request matching `matcher`. */
  add(matcher: FakeVapiRequestMatcher): FakeVapiHeldAnswer {
    let markReached!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((resolve) => (markReached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.#holds.push({ matcher, markReached, released, release });
    return { reached, release };
  }

  /** The hold for `method path`, using it up, or `undefined`. */
  take(method: string, path: string): Pick<Hold, 'markReached' | 'released'> | undefined {
    const hold = this.#holds.find((h) => fakeVapiRequestMatches(h.matcher, method, path));
    if (hold) this.#holds = this.#holds.filter((h) => h !== hold);
    return hold;
  }
}
