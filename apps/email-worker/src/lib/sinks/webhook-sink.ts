import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { MailboxEvent } from '@jobs/queue-contracts';
import type { MailboxRef } from '../mailbox-ref';
import { parseRetryAfterMs, type AppRedis } from '@jobs/worker-kit';
import { type DeliveryOutcome, type MessageSink } from './message-sink';
import { SinkBackpressureError } from './sink-backpressure-error';

/** Options of {@link WebhookSink}. */
export interface WebhookSinkOptions {
  readonly url: string;
  /** Standard Webhooks signing secret (`whsec_` + base64). */
  readonly secret: string;
  /** The app's state connection (a `Cluster` in cluster mode). */
  readonly redis: AppRedis;
  /**
   * Prefix of the per-event markers that skip events already accepted by the receiver. One
   * MGET reads a page's markers and one pipeline writes them: on a cluster the prefix must keep
   * them in one slot (the app's keys do).
   */
  readonly markerKeyPrefix: string;
  readonly markerTtlMs: number;
  /** Per request (ms). */
  readonly timeoutMs: number;
  /** Wait when the receiver says 429/503 without `Retry-After` (ms). */
  readonly backpressureDelayMs: number;
  /** Largest request body (bytes): a page is split into several POSTs to stay under it. */
  readonly maxBodyBytes: number;
}

/**
 * Second sync output: one signed HTTP POST per page to the app.
 *
 * Body `{ "mailbox": { userId, accountId, provider }, "events": MailboxEvent[] }`, signed per
 * the Standard Webhooks spec (standardwebhooks.com): headers `webhook-id` (unique per request),
 * `webhook-timestamp` (Unix s) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>`), made with the `standardwebhooks` library the receiver can verify with.
 *
 * A page goes as one or more POSTs of at most `maxBodyBytes`. A 2xx answer means accepted.
 * Events already accepted (within `markerTtlMs`) are not sent again; a crash between the answer
 * and those markers re-sends them (same `webhook-id`), so the receiver still drops repeats by
 * `eventId`. 413 → the POST is split in halves, and a lone message still too large is sent
 * without its bodies (`bodyTruncated: true`); 429/503 → SinkBackpressureError honouring
 * `Retry-After`; any other answer → Error (the job retries with backoff).
 */
export class WebhookSink implements MessageSink {
  private readonly webhook: Webhook;

  constructor(private readonly options: WebhookSinkOptions) {
    this.webhook = new Webhook(options.secret);
  }

  async alreadyDelivered(_mailbox: MailboxRef, eventIds: readonly string[]): Promise<boolean[]> {
    if (eventIds.length === 0) return [];
    const markers = await this.options.redis.mget(...eventIds.map((id) => this.options.markerKeyPrefix + id));
    return markers.map((marker) => marker !== null);
  }

  async deliver(mailbox: MailboxRef, events: readonly MailboxEvent[], signal: AbortSignal): Promise<DeliveryOutcome> {
    if (events.length === 0) return { delivered: [] };
    const { redis, markerKeyPrefix } = this.options;
    const seen = await redis.mget(...events.map((e) => markerKeyPrefix + e.eventId));
    const fresh = events.filter((_, i) => seen[i] === null);
    for (const part of this.split(mailbox, fresh)) await this.post(mailbox, part, signal);
    return { delivered: seen.map((marker) => marker === null) };
  }

  /** Consecutive groups of events whose request bodies stay under `maxBodyBytes` (a lone bigger event goes alone). */
  private split(mailbox: MailboxRef, events: readonly MailboxEvent[]): MailboxEvent[][] {
    const parts: MailboxEvent[][] = [];
    let current: MailboxEvent[] = [];
    let bytes = Buffer.byteLength(JSON.stringify({ mailbox, events: [] }));
    for (const event of events) {
      const size = Buffer.byteLength(JSON.stringify(event)) + 1;
      if (current.length > 0 && bytes + size > this.options.maxBodyBytes) {
        parts.push(current);
        current = [];
        bytes = Buffer.byteLength(JSON.stringify({ mailbox, events: [] }));
      }
      current.push(event);
      bytes += size;
    }
    if (current.length > 0) parts.push(current);
    return parts;
  }

  /**
   * POSTs one group and marks its events as sent. A 413 splits the group in halves; a lone
   * message the receiver still finds too large is sent without its bodies (`bodyTruncated`).
   */
  private async post(mailbox: MailboxRef, events: readonly MailboxEvent[], signal: AbortSignal): Promise<void> {
    const body = JSON.stringify({ mailbox, events });
    // The same events get the same webhook-id on every attempt, as the spec asks of retries.
    const id = `msg_${createHash('sha256').update(events.map((e) => e.eventId).join('\n')).digest('hex').slice(0, 32)}`;
    const now = new Date();
    let response: Response;
    try {
      response = await fetch(this.options.url, {
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
    } catch (err) {
      throw new Error(`The webhook receiver ${new URL(this.options.url).origin} did not answer: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
    await response.arrayBuffer().catch(() => undefined);
    if (response.status === 413) {
      if (events.length > 1) {
        const half = Math.ceil(events.length / 2);
        await this.post(mailbox, events.slice(0, half), signal);
        await this.post(mailbox, events.slice(half), signal);
        return;
      }
      const [only] = events;
      if (only?.type === 'message' && (only.message.text !== null || only.message.html !== null)) {
        await this.post(mailbox, [{ ...only, message: { ...only.message, text: null, html: null, bodyTruncated: true } }], signal);
        return;
      }
    }
    if (response.status === 429 || response.status === 503) {
      throw new SinkBackpressureError(
        parseRetryAfterMs(response.headers.get('retry-after')) ?? this.options.backpressureDelayMs,
        `The webhook receiver answered HTTP ${response.status}`,
      );
    }
    if (!response.ok) throw new Error(`The webhook receiver answered HTTP ${response.status} to ${events.length} events`);

    const marking = this.options.redis.pipeline();
    for (const event of events) marking.set(this.options.markerKeyPrefix + event.eventId, '1', 'PX', this.options.markerTtlMs);
    await marking.exec();
  }
}
