/**
 * An argument of the workflow API that cannot be used, e.g. a `runId` with a `:` or an event
 * `name` with a space: unrecoverable, fix the call. The message names the argument
 * (`name: must be 1-64 characters of A-Z a-z 0-9 _ . -`). Thrown before anything reaches Redis.
 */
export class InvalidWorkflowRequestError extends Error {
  override readonly name = 'InvalidWorkflowRequestError';
}
