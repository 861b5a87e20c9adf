import type { Redis } from 'ioredis';
import type { EmailProvider, MailboxEvent } from '@jobs/queue-contracts';
import type { MailboxRef } from '../mailbox-ref';
import { SinkBackpressureError, type DeliveryOutcome, type MessageSink } from './message-sink';

// Appends each event unless its eventId was appended before (a marker key with a TTL), in one
// script so that a crash can never leave an event appended without its marker or the reverse:
// a re-run of the same page appends nothing twice.
const APPEND_NEW = `
local delivered = {}
for i = 4, #ARGV, 2 do
  if redis.call('SET', ARGV[3] .. ARGV[i], '1', 'NX', 'PX', ARGV[2]) then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'eventId', ARGV[i], 'event', ARGV[i + 1])
    delivered[#delivered + 1] = 1
  else
    delivered[#delivered + 1] = 0
  end
end
return delivered`;

/** Options of {@link RedisStreamSink}. */
export interface RedisStreamSinkOptions {
  readonly redis: Redis;
  /** Stream key is `<streamKeyPrefix>:<provider>` (one stream per mailbox kind). */
  readonly streamKeyPrefix: string;
  /** Approximate cap (`XADD MAXLEN ~`), in entries. */
  readonly maxLen: number;
  /** The app's consumer group; created (from the stream's start) if missing. */
  readonly group: string;
  /** Prefix of the per-event markers that drop repeats. */
  readonly markerKeyPrefix: string;
  /** How long a marker is kept (ms): repeats within this window are dropped. */
  readonly markerTtlMs: number;
  /** Wait suggested to the job when the stream is full of unread events (ms). */
  readonly backpressureDelayMs: number;
}

function field(info: unknown[], name: string): unknown {
  const at = info.indexOf(name);
  return at >= 0 ? info[at + 1] : undefined;
}

/**
 * The default sync output: a capped Redis Stream per mailbox kind
 * (`<streamKeyPrefix>:gmail`, `<streamKeyPrefix>:outlook`), entries `{ eventId, event }` where
 * `event` is a `MailboxEvent` as JSON, read by the app with `XREADGROUP` in `group`.
 *
 * - Repeats (same `eventId`, e.g. a page re-read after a crash) are not appended again within
 *   `markerTtlMs`; the append and its marker are one Lua script.
 * - The cap must never drop events the app has not read: before appending, the group's
 *   unread (`lag`) plus unacknowledged (`pending`) entries are checked, and when the page would
 *   not fit under `maxLen` the sync waits (SinkBackpressureError) instead.
 */
export class RedisStreamSink implements MessageSink {
  private readonly groupsReady = new Set<string>();

  constructor(private readonly options: RedisStreamSinkOptions) {}

  /** The stream of one mailbox kind. */
  streamKey(provider: EmailProvider): string {
    return `${this.options.streamKeyPrefix}:${provider}`;
  }

  async deliver(mailbox: MailboxRef, events: readonly MailboxEvent[]): Promise<DeliveryOutcome> {
    if (events.length === 0) return { delivered: [] };
    const { redis, maxLen } = this.options;
    const stream = this.streamKey(mailbox.provider);
    await this.ensureGroup(stream);
    const unprocessed = await this.unprocessedEntries(stream);
    if (unprocessed + events.length > maxLen) {
      throw new SinkBackpressureError(
        this.options.backpressureDelayMs,
        `Stream ${stream} holds ${unprocessed} events group "${this.options.group}" has not processed (cap ${maxLen}): waiting instead of trimming unread events`,
      );
    }
    const args: string[] = [String(maxLen), String(this.options.markerTtlMs), this.options.markerKeyPrefix];
    for (const event of events) args.push(event.eventId, JSON.stringify(event));
    const flags = (await redis.eval(APPEND_NEW, 1, stream, ...args)) as number[];
    return { delivered: flags.map((flag) => flag === 1) };
  }

  private async ensureGroup(stream: string): Promise<void> {
    if (this.groupsReady.has(stream)) return;
    try {
      await this.options.redis.xgroup('CREATE', stream, this.options.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!(err instanceof Error && err.message.includes('BUSYGROUP'))) throw err;
    }
    this.groupsReady.add(stream);
  }

  /** Entries the group has not acknowledged: read-but-pending plus not yet read. */
  private async unprocessedEntries(stream: string): Promise<number> {
    const groups = (await this.options.redis.xinfo('GROUPS', stream)) as unknown[][];
    const group = groups.find((g) => field(g, 'name') === this.options.group);
    if (!group) {
      // Someone deleted the group after we created it: create it again on the next page.
      this.groupsReady.delete(stream);
      return 0;
    }
    const pending = Number(field(group, 'pending') ?? 0);
    const lag = field(group, 'lag');
    // Redis reports no lag when it cannot tell (after deletions inside the stream); then every
    // entry counts as unread, which errs on the side of not trimming.
    const unread = lag === null || lag === undefined ? await this.options.redis.xlen(stream) : Number(lag);
    return pending + unread;
  }
}
