import ClusterAllFailedError from 'ioredis/built/errors/ClusterAllFailedError';
import { ReplyError } from 'ioredis';
import { clusterUnavailableReason } from './cluster-unavailable-reason';

describe('clusterUnavailableReason', () => {
  it("gives ioredis's ClusterAllFailedError with its last node's reason", () => {
    const refused = new ClusterAllFailedError(ClusterAllFailedError.defaultMessage, new ReplyError('ERR This instance has cluster support disabled'));
    expect(clusterUnavailableReason(refused)).toBe('Failed to refresh slots cache. (last node: ERR This instance has cluster support disabled)');
    expect(clusterUnavailableReason(new ClusterAllFailedError(ClusterAllFailedError.defaultMessage, null))).toBe('Failed to refresh slots cache.');
  });

  it("gives the Cluster's own connection errors, and nothing for anything else", () => {
    for (const message of ['None of startup nodes is available', "Cluster isn't ready and enableOfflineQueue options is false", 'Cluster is disconnected.', 'Too many Cluster redirections. Last error: x']) {
      expect(clusterUnavailableReason(new Error(message))).toBe(message);
    }
    expect(clusterUnavailableReason(new Error('Job not in state failed'))).toBeUndefined();
    expect(clusterUnavailableReason(new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBeUndefined();
    expect(clusterUnavailableReason('None of startup nodes is available')).toBeUndefined();
  });
});
