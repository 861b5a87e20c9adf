import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import type { MailboxEvent } from '@jobs/queue-contracts';
import { deletePrefix, startTestServer, testRedisUrl, uniquePrefix, type TestServer } from '@jobs/test-support';
import { SinkBackpressureError } from './message-sink';
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

  const sink = (secret = SECRET) =>
    new WebhookSink({
      url: server.url('/hooks/mail'),
      secret,
      redis,
      markerKeyPrefix: `${prefix}:sent:`,
      markerTtlMs: 60_000,
      timeoutMs: 5000,
      backpressureDelayMs: 7000,
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
});
