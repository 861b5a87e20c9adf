/**
 * Apify has no run under an id this worker recorded (deleted, or a record of another account).
 * Thrown by `ApifyActorRuns.get`. {@link toJobError} leaves it a failed attempt, retried with the
 * job's backoff: a run just started may not be visible yet on every Apify API node.
 */
export class ActorRunMissingError extends Error {
  override readonly name = 'ActorRunMissingError';
  constructor(
    /** Apify's run id. */
    readonly runId: string,
    options?: ErrorOptions,
  ) {
    super(`Apify has no run ${runId}`, options);
  }
}
