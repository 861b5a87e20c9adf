import { Redis } from 'ioredis';
import type { MailboxEvent } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { SinkBackpressureError } from './message-sink';
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
      markerKeyPrefix: `${prefix}:appended:`,
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
});
