/** A test's handle on an answer a fake server holds back. */
export interface HeldAnswer {
  /** Resolves once a matching request has been processed (the server acted) and its answer is ready. */
  readonly reached: Promise<void>;
  /** Sends the answer (to a connection that may be gone by then). Works before `reached` too; idempotent. */
  release(): void;
  /** Destroys the connection without an answer, as a network failure after the server acted would. */
  cut(): void;
}

/** What a fake server does with a held answer. */
export type HeldAnswerOutcome = 'release' | 'cut';
