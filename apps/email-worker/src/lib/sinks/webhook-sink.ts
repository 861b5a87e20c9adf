import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import type { MailboxEvent } from '@jobs/queue-contracts';
import type { MailboxRef } from '../mailbox-ref';
import { parseRetryAfterMs } from '../providers/provider-errors';
import { SinkBackpressureError, type DeliveryOutcome, type MessageSink } from './message-sink';

/** Options of {@link WebhookSink}. */
export interface WebhookSinkOptions {
  readonly url: string;
  /** Standard Webhooks signing secret (`whsec_` + base64). */
  readonly secret: string;
  readonly redis: Redis;
  /** Prefix of the per-event markers that skip events already accepted by the receiver. */
  readonly markerKeyPrefix: string;
  readonly markerTtlMs: number;
  /** Per request (ms). */
  readonly timeoutMs: number;
  /** Wait when the receiver says 429/503 without `Retry-After` (ms). */
  readonly backpressureDelayMs: number;
}

/**
 * Second sync output: one signed HTTP POST per page to the app.
 *
 * Body `{ "mailbox": { userId, accountId, provider }, "events": MailboxEvent[] }`, signed per
 * the Standard Webhooks spec (standardwebhooks.com): headers `webhook-id` (unique per request),
 * `webhook-timestamp` (Unix s) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>`), made with the `standardwebhooks` library the receiver can verify with.
 *
 * A 2xx answer means accepted. Events already accepted (within `markerTtlMs`) are not sent
 * again; a crash between the answer and those markers re-sends a page, so the receiver still
 * drops repeats by `eventId`. 429/503 → SinkBackpressureError honouring `Retry-After`; any other
 * answer → Error (the job retries with backoff).
 */
export class WebhookSink implements MessageSink {
  private readonly webhook: Webhook;

  constructor(private readonly options: WebhookSinkOptions) {
    this.webhook = new Webhook(options.secret);
  }

  async alreadyDelivered(eventIds: readonly string[]): Promise<boolean[]> {
    if (eventIds.length === 0) return [];
    const markers = await this.options.redis.mget(...eventIds.map((id) => this.options.markerKeyPrefix + id));
    return markers.map((marker) => marker !== null);
  }

  async deliver(mailbox: MailboxRef, events: readonly MailboxEvent[], signal: AbortSignal): Promise<DeliveryOutcome> {
    if (events.length === 0) return { delivered: [] };
    const { redis, markerKeyPrefix } = this.options;
    const seen = await redis.mget(...events.map((e) => markerKeyPrefix + e.eventId));
    const fresh = events.filter((_, i) => seen[i] === null);
    if (fresh.length === 0) return { delivered: events.map(() => false) };

    const body = JSON.stringify({ mailbox, events: fresh });
    const id = `msg_${randomUUID()}`;
    const now = new Date();
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': this.webhook.sign(id, now, body),
      },
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs)]),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status === 429 || response.status === 503) {
      throw new SinkBackpressureError(
        parseRetryAfterMs(response.headers.get('retry-after')) ?? this.options.backpressureDelayMs,
        `The webhook receiver answered HTTP ${response.status}`,
      );
    }
    if (!response.ok) throw new Error(`The webhook receiver answered HTTP ${response.status} to ${fresh.length} events`);

    const marking = redis.pipeline();
    for (const event of fresh) marking.set(markerKeyPrefix + event.eventId, '1', 'PX', this.options.markerTtlMs);
    await marking.exec();
    return { delivered: seen.map((marker) => marker === null) };
  }
}
