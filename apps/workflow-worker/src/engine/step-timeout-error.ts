/**
 * One attempt of a step ran longer than its `timeoutMs`: given as the reason of the attempt's
 * AbortSignal; the attempt counts as failed and retryable.
 */
export class StepTimeoutError extends Error {
  override readonly name = 'StepTimeoutError';
  constructor(
    readonly stepId: string,
    readonly timeoutMs: number,
  ) {
    super(`step "${stepId}" timed out after ${timeoutMs} ms`);
  }
}
