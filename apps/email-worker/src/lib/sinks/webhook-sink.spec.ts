import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import type { MailboxEvent } from '@jobs/queue-contracts';
import { deletePrefix, startTestServer, testRedisUrl, uniquePrefix, type TestServer } from '@jobs/test-support';
import { SinkBackpressureError } from './sink-backpressure-error';
import { WebhookSink } from './webhook-sink';

const url = testRedisUrl();
const SECRET = `whsec_${Buffer.from('a test signing key of 32 bytes!!').toString('base64')}`;
const mailbox = { userId: 'u1', accountId: 'acc1', provider: 'outlook' as const };
const signal = new AbortController().signal;

function deleted(id: string): MailboxEvent {
  return { type: 'deleted', eventId: `outlook:acc1:${id}:deleted`, messageId: id, userId: 'u1', accountId: 'acc1', provider: 'outlook' };
}

describe('WebhookSink', () => {
  let redis: Redis;
  let prefix: string;
  let server: TestServer;
  const received: { events: MailboxEvent[] }[] = [];
  const answers: { status: number; headers?: Record<string, string> }[] = [];

  beforeEach(async () => {
    prefix = uniquePrefix('webhook');
    redis = new Redis(url);
    received.length = 0;
    answers.length = 0;
    server = await startTestServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = answers.shift() ?? { status: 204 };
        try {
          // The receiver's side: the library's own verification of the Standard Webhooks headers.
          const payload = new Webhook(SECRET).verify(body, req.headers as Record<string, string>) as { events: MailboxEvent[] };
          if (answer.status < 300) received.push(payload);
          res.writeHead(answer.status, answer.headers).end();
        } catch {
          res.writeHead(401).end();
        }
      });
    });
  });
  afterEach(async () => {
    await server.close();
    await redis.quit();
    await deletePrefix(url, prefix);
  });

  let maxBodyBytes = 4 * 1024 * 1024;
  const sink = (secret = SECRET) =>
    new WebhookSink({
      url: server.url('/hooks/mail'),
      secret,
      redis,
      markerKeyPrefix: `${prefix}:sent:`,
      markerTtlMs: 60_000,
      timeoutMs: 5000,
      backpressureDelayMs: 7000,
      maxBodyBytes,
    });

  it('posts signed pages the receiver verifies, and does not send accepted events again', async () => {
    const s = sink();
    expect(await s.deliver(mailbox, [deleted('a'), deleted('b')], signal)).toEqual({ delivered: [true, true] });
    expect(await s.deliver(mailbox, [deleted('b'), deleted('c')], signal)).toEqual({ delivered: [false, true] });
    expect(received.map((p) => p.events.map((e) => e.eventId))).toEqual([
      ['outlook:acc1:a:deleted', 'outlook:acc1:b:deleted'],
      ['outlook:acc1:c:deleted'],
    ]);
  });

  it('a wrong secret fails verification at the receiver, and the job is retried (no marker set)', async () => {
    const other = `whsec_${Buffer.from('another key, not the receivers!!').toString('base64')}`;
    await expect(sink(other).deliver(mailbox, [deleted('a')], signal)).rejects.toThrow('HTTP 401');
    expect(await sink().deliver(mailbox, [deleted('a')], signal)).toEqual({ delivered: [true] });
  });

  it('429 with Retry-After is backpressure; a 500 is an error; neither marks events as sent', async () => {
    answers.push({ status: 429, headers: { 'retry-after': '3' } }, { status: 500 });
    const err = await sink().deliver(mailbox, [deleted('a')], signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SinkBackpressureError);
    expect((err as SinkBackpressureError).retryAfterMs).toBe(3000);
    await expect(sink().deliver(mailbox, [deleted('a')], signal)).rejects.toThrow('HTTP 500');
    expect(await sink().deliver(mailbox, [deleted('a')], signal)).toEqual({ delivered: [true] });
    expect(received).toHaveLength(1);
  });

  it('keeps each POST under the body limit, splits on 413, and sends a message too large alone without its bodies', async () => {
    const big = (id: string, chars: number): MailboxEvent => ({
      type: 'message',
      change: 'new',
      eventId: `outlook:acc1:${id}:v1`,
      userId: 'u1',
      accountId: 'acc1',
      provider: 'outlook',
      message: {
        id, threadId: id, version: 'v1', internetMessageId: null, from: [], to: [], cc: [], replyTo: [], subject: id, date: null,
        receivedAt: '2024-01-01T00:00:00.000Z', text: 'x'.repeat(chars), html: null, bodyTruncated: false, attachments: [],
        inReplyTo: null, references: [], labels: ['inbox'], sizeBytes: chars,
      },
    });
    maxBodyBytes = 300_000;
    // The receiver refuses bodies over 250 000 bytes, whatever the worker's limit.
    const limit = 250_000;
    const sizes: number[] = [];
    await server.close();
    server = await startTestServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        sizes.push(body.length);
        if (body.length > limit) {
          res.writeHead(413).end();
          return;
        }
        received.push(new Webhook(SECRET).verify(body.toString('utf8'), req.headers as Record<string, string>) as { events: MailboxEvent[] });
        res.writeHead(204).end();
      });
    });
    const events = [big('a', 100_000), big('b', 100_000), big('c', 100_000), big('huge', 400_000)];
    expect(await sink().deliver(mailbox, events, signal)).toEqual({ delivered: [true, true, true, true] });
    expect(Math.max(...sizes.filter((n) => n <= limit))).toBeLessThanOrEqual(limit);
    expect(received.flatMap((p) => p.events.map((e) => e.eventId)).sort()).toEqual(events.map((e) => e.eventId).sort());
    const huge = received.flatMap((p) => p.events).find((e) => e.eventId.includes('huge'));
    expect(huge).toMatchObject({ message: { text: null, bodyTruncated: true } });
    // No POST went over the worker's own limit, except a lone event.
    expect(sizes.filter((n) => n > 300_000)).toHaveLength(1);
  });
});
