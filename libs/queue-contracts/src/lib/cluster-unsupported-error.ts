/**
 * Something that does not run on a Redis Cluster yet was asked for in cluster mode
 * (`REDIS_CLUSTER_NODES`). Thrown at start-up, so it fails before any job is taken rather than
 * with `CROSSSLOT` mid-job. E.g. the worker kit's app state connection: the apps' own keys
 * (records, locks, rate limits) carry no hash tags yet and are typed for a standalone client.
 */
export class ClusterUnsupportedError extends Error {
  override readonly name = 'ClusterUnsupportedError';
  /** @param what - what is not supported, e.g. `email-worker:state: the app's own Redis keys`. */
  constructor(what: string) {
    super(`${what} do not support REDIS_CLUSTER_NODES yet; run on a standalone Redis (REDIS_URL / REDIS_HOST)`);
  }
}
