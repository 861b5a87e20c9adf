import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Cluster, Redis, ReplyError } from 'ioredis';
import { isRedisUnavailableError } from './is-redis-unavailable-error';

describe('isRedisUnavailableError', () => {
  describe('an address that answers, but is not Redis (an HTTP server)', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((_req, res) => res.end('not redis'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it("counts ioredis's protocol error (ParserError) as unavailable", async () => {
      // The ready check's INFO is the first command the server answers (with "HTTP/1.1 400 …").
      const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0, retryStrategy: () => null });
      // BullMQ's wait for a ready connection rejects with the client's 'error': what the CLI and producers see.
      const errors: unknown[] = [];
      client.on('error', (e: unknown) => errors.push(e));
      try {
        await new Promise((resolve) => client.once('end', resolve));
        const err = errors[0];
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).name).toBe('ParserError');
        expect((err as Error).message).toMatch(/^Protocol error/);
        expect(isRedisUnavailableError(err)).toBe(true);
      } finally {
        client.disconnect();
      }
    });
  });

  it('keeps faults of the request and of our code apart', () => {
    expect(isRedisUnavailableError(new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isRedisUnavailableError(new TypeError('x is undefined'))).toBe(false);
    expect(isRedisUnavailableError('Protocol error')).toBe(false);
  });

  it('counts refused connections, closed connections and replies that say Redis cannot serve', () => {
    expect(isRedisUnavailableError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRedisUnavailableError(new Error('Connection is closed.'))).toBe(true);
    expect(isRedisUnavailableError(new ReplyError('LOADING Redis is loading the dataset in memory'))).toBe(true);
  });

  it("counts what an ioredis Cluster fails with when no seed node answers (REDIS_CLUSTER_NODES)", async () => {
    // Nothing listens on port 1. A producer-style cluster: no offline queue, no reconnecting.
    const options = { enableOfflineQueue: false, clusterRetryStrategy: () => null };
    const cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { ...options, lazyConnect: true });
    const connecting = new Cluster([{ host: '127.0.0.1', port: 1 }], options);
    const errors: unknown[] = [];
    cluster.on('error', (e: unknown) => errors.push(e));
    connecting.on('error', () => undefined);
    try {
      const notReady = await connecting.get('k').catch((e: unknown) => e);
      expect((notReady as Error).message).toMatch(/^Cluster isn't ready/);
      expect(isRedisUnavailableError(notReady)).toBe(true);
      const connectFailed = await cluster.connect().catch((e: unknown) => e);
      expect((connectFailed as Error).message).toMatch(/^None of startup nodes is available/);
      expect(isRedisUnavailableError(connectFailed)).toBe(true);
      // The 'error' event carries ClusterAllFailedError ("Failed to refresh slots cache.").
      const allFailed = errors.find((e) => (e as Error).name === 'ClusterAllFailedError');
      expect(allFailed).toBeDefined();
      expect(isRedisUnavailableError(allFailed)).toBe(true);
      expect(isRedisUnavailableError(new Error('Failed to refresh slots cache.'))).toBe(false); // by class, not text
    } finally {
      cluster.disconnect();
      connecting.disconnect();
    }
  });
});
