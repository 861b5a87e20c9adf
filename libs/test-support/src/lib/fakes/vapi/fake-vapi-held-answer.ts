import type { HeldAnswer } from '../shared/held-answer';

/**
 * A test's handle on an answer the fake Vapi server holds back: `reached` once the request was
 * processed (the call IS created), `release()` sends the answer; closing the server lets it go.
 */
export type FakeVapiHeldAnswer = Pick<HeldAnswer, 'reached' | 'release'>;
