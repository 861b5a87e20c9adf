/**
 * A step's JSONata expression failed when evaluated (an undefined function, a type error, the
 * evaluation guardrails). Thrown by `evaluate`; the engine fails the step without retrying (the
 * same expression over the same scope fails again), then takes `onError` or fails the run.
 */
export class StepExpressionError extends Error {
  override readonly name = 'StepExpressionError';
  constructor(
    readonly stepId: string,
    readonly field: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`step "${stepId}" ${field}: ${message}`, options);
  }
}
