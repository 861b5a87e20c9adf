import type { StepKind, StepOfKind } from '../engine/step-kind';

/** Placeholder until steps/http-request/ lands: every attempt fails, not retryable. */
export const httpRequestStep: StepKind<StepOfKind<'http_request'>> = {
  kind: 'http_request',
  async run() {
    return { type: 'failed', error: 'http_request steps are not built yet', retryable: false };
  },
};
