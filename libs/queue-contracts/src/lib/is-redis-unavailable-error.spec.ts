import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis, ReplyError } from 'ioredis';
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
});
