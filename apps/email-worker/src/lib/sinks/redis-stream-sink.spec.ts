import { Redis } from 'ioredis';
import type { MailboxEvent } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { SinkBackpressureError } from './sink-backpressure-error';
import { RedisStreamSink } from './redis-stream-sink';

const url = testRedisUrl();
const mailbox = { userId: 'u1', accountId: 'acc1', provider: 'gmail' as const };

function deleted(id: string): MailboxEvent {
  return { type: 'deleted', eventId: `gmail:acc1:${id}:deleted`, messageId: id, userId: 'u1', accountId: 'acc1', provider: 'gmail' };
}

describe('RedisStreamSink', () => {
  let redis: Redis;
  let prefix: string;
  const sink = (maxLen = 1000) =>
    new RedisStreamSink({
      redis,
      streamKeyPrefix: `${prefix}:messages`,
      maxLen,
      group: 'app',
      markerKeyPrefixes: { gmail: `${prefix}:appended-gmail:`, outlook: `${prefix}:appended-outlook:` },
      markerTtlMs: 60_000,
      backpressureDelayMs: 5000,
    });

  beforeEach(() => {
    prefix = uniquePrefix('sink');
    redis = new Redis(url);
  });
  afterEach(async () => {
    await redis.quit();
    await deletePrefix(url, prefix);
  });

  it('appends events as JSON to the provider stream, readable by the app group, and drops repeats', async () => {
    const s = sink();
    expect(await s.deliver(mailbox, [deleted('a'), deleted('b')])).toEqual({ delivered: [true, true] });
    // A page re-read after a crash: the repeat is skipped, the new event appended.
    expect(await s.deliver(mailbox, [deleted('b'), deleted('c')])).toEqual({ delivered: [false, true] });

    const read = (await redis.xreadgroup('GROUP', 'app', 'reader-1', 'COUNT', 10, 'STREAMS', `${prefix}:messages:gmail`, '>')) as [
      string,
      [string, string[]][],
    ][];
    const entries = read[0]?.[1] ?? [];
    expect(entries.map(([, fields]) => JSON.parse(fields[3] as string).messageId)).toEqual(['a', 'b', 'c']);
    expect(entries.map(([, fields]) => fields[1])).toEqual(['gmail:acc1:a:deleted', 'gmail:acc1:b:deleted', 'gmail:acc1:c:deleted']);
  });

  it("keeps each event's marker under its stream's marker prefix, where alreadyDelivered looks", async () => {
    const s = sink();
    expect(await s.alreadyDelivered(mailbox, ['gmail:acc1:a:deleted', 'gmail:acc1:b:deleted'])).toEqual([false, false]);
    await s.deliver(mailbox, [deleted('a')]);
    expect(await redis.pttl(`${prefix}:appended-gmail:gmail:acc1:a:deleted`)).toBeGreaterThan(0);
    expect(await redis.exists(`${prefix}:appended-outlook:gmail:acc1:a:deleted`)).toBe(0);
    expect(await s.alreadyDelivered(mailbox, ['gmail:acc1:a:deleted', 'gmail:acc1:b:deleted'])).toEqual([true, false]);
    // An outlook mailbox's markers are looked up under the outlook prefix.
    expect(await s.alreadyDelivered({ ...mailbox, provider: 'outlook' }, ['gmail:acc1:a:deleted'])).toEqual([false]);
  });

  it('drops a repeat within one page: appended once', async () => {
    const s = sink();
    expect(await s.deliver(mailbox, [deleted('a'), deleted('a'), deleted('b')])).toEqual({ delivered: [true, false, true] });
    expect(await redis.xlen(`${prefix}:messages:gmail`)).toBe(2);
  });

  it('waits instead of trimming events the group has not processed', async () => {
    const s = sink(1000);
    const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => deleted(`m${from + i}`));
    await s.deliver(mailbox, page(0, 600));
    // 600 unread + 500 would pass the cap of 1000: XADD MAXLEN would drop unread entries.
    const err = await s.deliver(mailbox, page(600, 500)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SinkBackpressureError);
    expect((err as SinkBackpressureError).retryAfterMs).toBe(5000);
    expect(await redis.xlen(`${prefix}:messages:gmail`)).toBe(600);

    // Read (pending) entries still count; acknowledged ones free room.
    const read = (await redis.xreadgroup('GROUP', 'app', 'r', 'COUNT', 600, 'STREAMS', `${prefix}:messages:gmail`, '>')) as [
      string,
      [string, string[]][],
    ][];
    await expect(s.deliver(mailbox, page(600, 500))).rejects.toBeInstanceOf(SinkBackpressureError);
    await redis.xack(`${prefix}:messages:gmail`, 'app', ...(read[0]?.[1] ?? []).map(([id]) => id));
    await expect(s.deliver(mailbox, page(600, 500))).resolves.toMatchObject({ delivered: expect.arrayContaining([true]) });
  });

  it('never trims an entry one consumer read but did not acknowledge, even when others acknowledged later ones', async () => {
    const s = sink(1000);
    const key = `${prefix}:messages:gmail`;
    const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => deleted(`m${from + i}`));
    await s.deliver(mailbox, page(0, 540));
    type Read = [string, [string, string[]][]][];
    // Consumer A takes 100 and crashes before acknowledging; consumer B handles the rest.
    const a = ((await redis.xreadgroup('GROUP', 'app', 'A', 'COUNT', 100, 'STREAMS', key, '>')) as Read)[0]?.[1] ?? [];
    const b = ((await redis.xreadgroup('GROUP', 'app', 'B', 'COUNT', 1000, 'STREAMS', key, '>')) as Read)[0]?.[1] ?? [];
    await redis.xack(key, 'app', ...b.map(([id]) => id));
    await expect(s.deliver(mailbox, page(540, 540))).rejects.toBeInstanceOf(SinkBackpressureError);
    // All of A's entries are still there for XCLAIM / XAUTOCLAIM.
    const claimed = (await redis.xclaim(key, 'app', 'A2', 0, ...a.map(([id]) => id))) as [string, string[]][];
    expect(claimed).toHaveLength(100);
    await redis.xack(key, 'app', ...claimed.map(([id]) => id));
    // Acknowledged, they make room: the page goes in and the stream stays within the cap.
    await expect(s.deliver(mailbox, page(540, 540))).resolves.toMatchObject({ delivered: expect.arrayContaining([true]) });
    expect(await redis.xlen(key)).toBe(540);
  });

  it('concurrent pages never push the stream past its cap (the check and the append are one script)', async () => {
    const s = sink(1000);
    const key = `${prefix}:messages:gmail`;
    await s.deliver(mailbox, Array.from({ length: 900 }, (_, i) => deleted(`base${i}`)));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, p) => s.deliver(mailbox, Array.from({ length: 100 }, (_, i) => deleted(`p${p}-${i}`)))),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(await redis.xlen(key)).toBe(1000);
  });

  it('recreates the group and the stream when the key was deleted (or Redis restarted empty)', async () => {
    const s = sink();
    const key = `${prefix}:messages:gmail`;
    await s.deliver(mailbox, [deleted('a')]);
    await redis.del(key);
    await expect(s.deliver(mailbox, [deleted('b')])).resolves.toEqual({ delivered: [true] });
    const read = (await redis.xreadgroup('GROUP', 'app', 'r', 'STREAMS', key, '>')) as [string, [string, string[]][]][];
    expect(read[0]?.[1].map(([, f]) => f[1])).toEqual(['gmail:acc1:b:deleted']);
  });
});
