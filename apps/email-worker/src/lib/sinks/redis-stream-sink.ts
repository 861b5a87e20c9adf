import type { EmailProvider, MailboxEvent } from '@jobs/queue-contracts';
import type { AppRedis } from '@jobs/worker-kit';
import type { MailboxRef } from '../mailbox-ref';
import { type DeliveryOutcome, type MessageSink } from './message-sink';
import { SinkBackpressureError } from './sink-backpressure-error';
import { streamKey } from './stream-keys';

// One script, so that nothing can interleave between the checks and the appends (two syncs of
// different mailboxes share a stream):
// 1. creates the consumer group (from the stream's start) if it is missing — also after the
//    stream key itself was deleted or Redis restarted empty;
// 2. finds the events not appended before (a marker key per event, kept ARGV[3] ms);
// 3. when they would not fit under the cap, trims entries the group has both received and
//    acknowledged (XTRIM MINID: older than its oldest pending entry, else up to its
//    last-delivered id) — never anything unread or unacknowledged — and if they still do not
//    fit, appends nothing and answers with the stream's length, negated;
// 4. appends each new event with its marker and answers 1/0 per event.
// KEYS[1] stream, KEYS[1 + i] the marker of event i; ARGV: group, maxLen, marker TTL ms, then
// eventId, payload pairs (event i at ARGV[2 + 2i], ARGV[3 + 2i]). Every key is declared, and on
// a cluster every key must hash to the stream's slot (the markers' prefix sees to it).
const APPEND = `
local stream, group, maxLen = KEYS[1], ARGV[1], tonumber(ARGV[2])
redis.pcall('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM')
local flags, seen, count = {}, {}, 0
for i = 2, #KEYS do
  local id = ARGV[2 * i]
  if seen[id] == nil and redis.call('EXISTS', KEYS[i]) == 0 then
    seen[id] = true
    count = count + 1
    flags[#flags + 1] = 1
  else
    flags[#flags + 1] = 0
  end
end
if count == 0 then return flags end
if redis.call('XLEN', stream) + count > maxLen then
  local lastDelivered = '0-0'
  for _, g in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
    local name, last
    for j = 1, #g, 2 do
      if g[j] == 'name' then name = g[j + 1] elseif g[j] == 'last-delivered-id' then last = g[j + 1] end
    end
    if name == group then lastDelivered = last end
  end
  local pending = redis.call('XPENDING', stream, group)
  local keepFrom
  if pending[1] > 0 then
    keepFrom = pending[2]
  else
    local ms, seq = string.match(lastDelivered, '^(%d+)-(%d+)$')
    keepFrom = ms .. '-' .. string.format('%d', tonumber(seq) + 1)
  end
  redis.call('XTRIM', stream, 'MINID', keepFrom)
  local len = redis.call('XLEN', stream)
  if len + count > maxLen then return -len end
end
for i = 2, #KEYS do
  if flags[i - 1] == 1 then
    redis.call('SET', KEYS[i], '1', 'PX', ARGV[3])
    redis.call('XADD', stream, '*', 'eventId', ARGV[2 * i], 'event', ARGV[2 * i + 1])
  end
end
return flags`;

/** Options of {@link RedisStreamSink}. */
export interface RedisStreamSinkOptions {
  /** The app's state connection (a `Cluster` in cluster mode). */
  readonly redis: AppRedis;
  /** Stream key is `<streamKeyPrefix>:<provider>` (one stream per mailbox kind). */
  readonly streamKeyPrefix: string;
  /** Most entries the stream holds (acknowledged ones are trimmed to make room), ≥ a page. */
  readonly maxLen: number;
  /** The app's consumer group; created (from the stream's start) if missing. */
  readonly group: string;
  /**
   * Per provider stream, the prefix of the per-event markers that drop repeats (marker
   * `<prefix><eventId>`); on a cluster each must hash to its stream's slot
   * (streamMarkerKeyPrefixes).
   */
  readonly markerKeyPrefixes: Readonly<Record<EmailProvider, string>>;
  /** How long a marker is kept (ms): repeats within this window are dropped. */
  readonly markerTtlMs: number;
  /** Wait suggested to the job when the stream is full of unprocessed events (ms). */
  readonly backpressureDelayMs: number;
}

/**
 * The default sync output: a capped Redis Stream per mailbox kind
 * (`<streamKeyPrefix>:gmail`, `<streamKeyPrefix>:outlook`), entries `{ eventId, event }` where
 * `event` is a `MailboxEvent` as JSON, read by the app with `XREADGROUP` in `group`.
 *
 * - Repeats (same `eventId`, e.g. a page re-read after a crash) are not appended again within
 *   `markerTtlMs`.
 * - The cap never drops an event `group` has not received and acknowledged: room is made by
 *   trimming acknowledged entries only, and when the page still does not fit the sync waits
 *   (SinkBackpressureError) until the app catches up. Other consumer groups on the same stream
 *   are not considered.
 * All of it is one Lua script per page (atomic), over the stream and the page's markers: on a
 * Redis Cluster those share the stream's slot (the markers' prefixes come from
 * streamMarkerKeyPrefixes), never the app's.
 */
export class RedisStreamSink implements MessageSink {
  constructor(private readonly options: RedisStreamSinkOptions) {}

  /** The stream of one mailbox kind. */
  streamKey(provider: EmailProvider): string {
    return streamKey(this.options.streamKeyPrefix, provider);
  }

  /** The marker of one event in its provider's stream (a key in that stream's slot). */
  markerKey(provider: EmailProvider, eventId: string): string {
    return this.options.markerKeyPrefixes[provider] + eventId;
  }

  async alreadyDelivered(mailbox: MailboxRef, eventIds: readonly string[]): Promise<boolean[]> {
    if (eventIds.length === 0) return [];
    const markers = await this.options.redis.mget(...eventIds.map((id) => this.markerKey(mailbox.provider, id)));
    return markers.map((marker) => marker !== null);
  }

  async deliver(mailbox: MailboxRef, events: readonly MailboxEvent[]): Promise<DeliveryOutcome> {
    if (events.length === 0) return { delivered: [] };
    const { redis, maxLen, group } = this.options;
    const stream = this.streamKey(mailbox.provider);
    const keys = [stream, ...events.map((event) => this.markerKey(mailbox.provider, event.eventId))];
    const args: string[] = [group, String(maxLen), String(this.options.markerTtlMs)];
    for (const event of events) args.push(event.eventId, JSON.stringify(event));
    const answer = (await redis.eval(APPEND, keys.length, ...keys, ...args)) as number[] | number;
    if (typeof answer === 'number') {
      throw new SinkBackpressureError(
        this.options.backpressureDelayMs,
        `Stream ${stream} holds ${-answer} events group "${group}" has not acknowledged (cap ${maxLen}): waiting instead of trimming them`,
      );
    }
    return { delivered: answer.map((flag) => flag === 1) };
  }
}
