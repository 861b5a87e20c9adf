/**
 * Something that does not run on a Redis Cluster yet was asked for in cluster mode
 * (`REDIS_CLUSTER_NODES`). Thrown at start-up, so it fails before any job is taken rather than
 * with `CROSSSLOT` mid-job.
 */
export class ClusterUnsupportedError extends Error {
  override readonly name = 'ClusterUnsupportedError';
  /** @param what - what is not supported, e.g. `seo-worker: the crawl frontier`. */
  constructor(what: string) {
    super(`${what} do not support REDIS_CLUSTER_NODES yet; run on a standalone Redis (REDIS_URL / REDIS_HOST)`);
  }
}
