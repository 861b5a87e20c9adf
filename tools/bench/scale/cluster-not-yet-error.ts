/**
 * `bench:scale --cluster` was asked for: the bench runs on one Redis only until the platform has
 * a cluster mode (issue 13 item 5); the flag is kept so that change has one place to plug into.
 */
export class ClusterNotYetError extends Error {
  override readonly name = 'ClusterNotYetError';
  constructor() {
    super('--cluster: not yet. The scaling bench runs on a single Redis; cluster mode comes with the Redis Cluster change (issue 13 item 5).');
  }
}
