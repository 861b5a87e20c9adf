import { PassThrough } from 'node:stream';
import type { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { startRedisGate, type RedisGate } from '../test-support/redis-gate';
import { COMMAND_TIMEOUT_MS, createCliContext, type CliSession } from './create-cli-context';
import { loadCliConfig } from './load-cli-config';

const url = testRedisUrl();
const { hostname, port } = new URL(url);
const target = { host: hostname, port: Number(port || 6379) };

describe('createCliContext: command timeout (real Redis behind a relay that withholds one command)', () => {
  const prefix = uniquePrefix('cli-context');
  const gates: RedisGate[] = [];
  const sessions: CliSession[] = [];
  const session = async (token: string) => {
    const gate = await startRedisGate(target, { pattern: token, after: 0 });
    gates.push(gate);
    const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough() };
    const created = createCliContext(() => loadCliConfig({ redisUrl: gate.url, prefix }, {}), io);
    sessions.push(created);
    return { gate, ctx: created.context };
  };

  afterAll(async () => {
    for (const gate of gates) gate.release();
    await Promise.all(sessions.map((s) => s.close()));
    await Promise.all(gates.map((gate) => gate.close()));
    await deletePrefix(url, prefix);
  });

  it(`a command unanswered for ${COMMAND_TIMEOUT_MS} ms fails, except inside withoutCommandTimeout (drain's one long script)`, async () => {
    const bounded = await session('held-bounded');
    const unbounded = await session('held-unbounded');
    // The context's one connection is an ioredis client (BullMQ types it by its own interface).
    const boundedClient = (await bounded.ctx.queue('seo').getBackend().client) as unknown as Redis;
    const unboundedClient = (await unbounded.ctx.queue('seo').getBackend().client) as unknown as Redis;

    const timedOut = boundedClient.echo('held-bounded');
    const waited = unbounded.ctx.withoutCommandTimeout(() => unboundedClient.echo('held-unbounded'));
    await Promise.all([bounded.gate.held, unbounded.gate.held]);
    await expect(timedOut).rejects.toThrow(/Command timed out/);
    // Longer than the timeout has passed for both: the one without it is still waiting, and gets its answer.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    unbounded.gate.release();
    await expect(waited).resolves.toBe('held-unbounded');
    // The timeout applies again after the call.
    expect(unboundedClient.options.commandTimeout).toBe(COMMAND_TIMEOUT_MS);
  }, 60_000);
});
