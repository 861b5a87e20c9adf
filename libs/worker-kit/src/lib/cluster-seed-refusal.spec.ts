import { createServer, Socket, type Server } from 'node:net';
import { Redis, ReplyError } from 'ioredis';
import { redisSettingsFromEnv } from '@jobs/queue-contracts';
import { startThrowawayRedis, waitFor, type ThrowawayRedis } from '@jobs/test-support';
import { clusterSeedRefusal } from './connect-app-redis';

// clusterSeedRefusal against seeds that do not help: one that accepts and never answers (a hung
// Redis), and one that refuses the password. It must settle, close what it opened, and return
// nothing that carries the password.

/**
 * This process's sockets still open to `port` (the seed's), from Node's active handles: jest runs
 * test files in one process, so a count of every socket would see other files' connections.
 * (`_getActiveHandles` is Node's own, unlisted in its types; it returns the handle objects.)
 */
const socketsTo = (port: number): number =>
  (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().filter((handle) => handle instanceof Socket && handle.remotePort === port).length;
/** Two turns of the event loop: a destroyed socket's handle is closed by then (no clock is read). */
const twoTurns = async (): Promise<void> => {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
};
describe('clusterSeedRefusal', () => {
  let silent: Server;
  let port: number;
  const sockets: Socket[] = [];
  const ended: Socket[] = [];
  let guarded: ThrowawayRedis | undefined;

  beforeAll(async () => {
    // A hung Redis: its side stays open even after the client's FIN (allowHalfOpen), so a client
    // that only ends its socket keeps it, half-closed, until ioredis's 2 s timer destroys it.
    silent = createServer({ allowHalfOpen: true }, (socket) => {
      sockets.push(socket);
      // Read (and drop) what the client sends, so its end of the connection is seen.
      socket.resume();
      socket.on('end', () => ended.push(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
    await guarded?.stop();
  });

  it('settles at its bound on a seed that accepts and never answers, its socket destroyed at once', async () => {
    const before = sockets.length;
    const answer = await clusterSeedRefusal(redisSettingsFromEnv({ REDIS_CLUSTER_NODES: `127.0.0.1:${port}` }), { timeoutMs: 500 });
    expect(answer).toBeUndefined();
    expect(sockets.length).toBe(before + 1);
    // Destroyed, not only ended (an ended socket waits for ioredis's 2 s timer to go).
    await twoTurns();
    expect(socketsTo(port)).toBe(0);
    await waitFor('the seed connection ended', () => sockets.slice(before).every((s) => ended.includes(s)));
  });

  it('settles when its signal is aborted, its socket destroyed at once', async () => {
    const before = sockets.length;
    const aborting = new AbortController();
    const pending = clusterSeedRefusal(redisSettingsFromEnv({ REDIS_CLUSTER_NODES: `127.0.0.1:${port}` }), { timeoutMs: 600_000, signal: aborting.signal });
    await waitFor('the seed connection accepted', () => sockets.length === before + 1);
    aborting.abort();
    expect(await pending).toBeUndefined();
    await twoTurns();
    expect(socketsTo(port)).toBe(0);
    await waitFor('the seed connection ended', () => sockets.slice(before).every((s) => ended.includes(s)));
  });

  it("returns Redis's WRONGPASS refusal without the password it was sent", async () => {
    guarded = await startThrowawayRedis();
    const admin = new Redis(guarded.url);
    await admin.config('SET', 'requirepass', 'the-right-one');
    admin.disconnect();
    const answer = await clusterSeedRefusal(redisSettingsFromEnv({ REDIS_CLUSTER_NODES: `127.0.0.1:${guarded.port}`, REDIS_PASSWORD: 'S3cret-wrong-pass' }));
    expect(answer).toBeInstanceOf(ReplyError);
    expect(answer?.message).toMatch(/^WRONGPASS/);
    expect(JSON.stringify({ ...answer, message: answer?.message, stack: answer?.stack })).not.toContain('S3cret-wrong-pass');
  });
});
