import type { Job } from 'bullmq';
import { Cluster } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { JobProducer, redisSettingsFromEnv, type EmailProvider, type JobDataInput, type MailboxEvent, type RedisSettings } from '@jobs/queue-contracts';
import {
  jsonLineSink,
  loadFixtureEmails,
  markClusterClients,
  startTestServer,
  startThrowawayRedisCluster,
  uniquePrefix,
  waitFor,
  waitForNoClientsSince,
  type TestServer,
  type ThrowawayRedisCluster,
} from '@jobs/test-support';
import type { EmailWorkerConfig } from './config';
import { emailWorkerApp } from './email-worker-app';
import { emailWorkerEnv, startEmailFakes, type EmailFakes } from './test-support/email-harness';
import { addFakeMailbox, type FakeMailboxHandle } from './test-support/mailbox-fakes';

// The email worker started as main.ts starts it (emailWorkerApp), on a throwaway 3-master Redis
// Cluster, against the local Gmail/Graph/chat/token servers the e2e specs use. Every path with
// a multi-key script, MULTI or pipeline runs at least once: the stream sink's append script
// (stream + markers), its marker MGET, the mailbox lock (SET NX, Lua extend/release), the state
// and draft-record MULTIs, the webhook sink's marker MGET and pipeline.

const fixtures = loadFixtureEmails().slice(0, 20);
const ROOT = loadFixtureEmails().find((f) => f.name === 'plain_emails/raw_email_reply.eml');
const WEBHOOK_SECRET = `whsec_${Buffer.from('a cluster test signing key, 32 b').toString('base64')}`;

/** Mail that arrives now (inside every sync's date filter). */
function freshMessage(n: number): Buffer {
  return Buffer.from(
    `From: a@buyer.example\r\nTo: rep@example.com\r\nSubject: New ${n}\r\nDate: ${new Date().toUTCString()}\r\n` +
      `Message-ID: <cluster-new-${n}-${Date.now()}@buyer.example>\r\n\r\nHello\r\n`,
  );
}

function followUp(body: string): Buffer {
  return Buffer.from(
    'From: Mikel Lindsaar <mikel@xxxx.net>\r\nTo: Testing <xxxxxxxx@xxx.org>\r\nSubject: Re: Test reply email\r\n' +
      'Date: Mon, 11 Dec 2007 10:00:00 +0000\r\nMessage-ID: <cluster-follow-up@xxxx.net>\r\n' +
      `In-Reply-To: <473FFE27.20003@xxx.org>\r\nReferences: <473FFE27.20003@xxx.org>\r\n\r\n${body}\r\n`,
  );
}

const messageIds = (events: MailboxEvent[]) => events.flatMap((e) => (e.type === 'message' ? [e.message.id] : []));

describe('email-worker on a 3-master Redis Cluster', () => {
  let cluster: ThrowawayRedisCluster;
  let settings: RedisSettings;
  let admin: Cluster;
  let fakes: EmailFakes;
  let prefix: string;
  let producer: JobProducer;
  let app: Awaited<ReturnType<typeof emailWorkerApp.start>> | undefined;
  let logs: Record<string, unknown>[];
  /** Each master's highest client id before the test's producer and app connected (see markClusterClients). */
  let clientsMark: ReadonlyMap<number, number>;

  /** Every key of this test on any master. */
  const allKeys = async () => {
    const keys: string[] = [];
    for (const node of admin.nodes('master')) {
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
        keys.push(...batch);
        cursor = next;
      } while (cursor !== '0');
    }
    return keys.sort();
  };

  const slotOf = async (key: string) => Number(await admin.cluster('KEYSLOT', key));

  /** Starts the app as main.ts does, on the cluster; `env` adds to the e2e specs' environment. */
  async function startApp(env: Record<string, string> = {}): Promise<EmailWorkerConfig> {
    const { REDIS_URL: _standalone, ...base } = emailWorkerEnv(fakes, prefix);
    const sink = jsonLineSink();
    logs = sink.lines;
    app = await emailWorkerApp.start({
      env: { ...base, REDIS_CLUSTER_NODES: cluster.nodes, BULLMQ_PREFIX: prefix, HEALTH_HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      handleSignals: false,
      exit: () => undefined,
      logDestination: sink.destination,
    });
    return app.config;
  }

  /** Enqueues a job with the producer and waits until it completed (its failure reason if it failed for good). */
  async function run<N extends 'EMAIL_SYNC' | 'EMAIL_DRAFT'>(name: N, data: JobDataInput<N>): Promise<Job> {
    const added = await producer.add(name, data);
    return completed(added.id as string);
  }

  /** Waits until job `id` completed or failed for good, and expects it completed. */
  async function completed(id: string, timeoutMs = 60_000): Promise<Job> {
    const queue = producer.queue('email');
    const state = await waitFor(
      `job ${id} to finish`,
      async () => {
        const now = await queue.getJobState(id);
        return now === 'completed' || now === 'failed' ? now : undefined;
      },
      { timeoutMs },
    );
    // Read after it finished: a job read while active keeps its attempt count and no result.
    const job = await queue.getJob(id);
    expect({ id, state, failedReason: state === 'failed' ? job?.failedReason : undefined }).toEqual({ id, state: 'completed', failedReason: undefined });
    return job as Job;
  }

  /** The provider's output stream, as the app reads it. */
  async function streamEvents(provider: EmailProvider): Promise<MailboxEvent[]> {
    const entries = await admin.xrange(`${prefix}:messages:${provider}`, '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[3] ?? 'null') as MailboxEvent);
  }

  /**
   * Every key of the test is either a queue key or an app key in the email queue's slot
   * (`<prefix>:{workflow}:…`), a stream, or a stream marker in its stream's slot.
   */
  async function expectKeyLayout(config: EmailWorkerConfig): Promise<string[]> {
    const queueSlot = await slotOf(`${prefix}:{workflow}:email:wait`);
    const keys = await allKeys();
    const appKeys: string[] = [];
    for (const key of keys) {
      if (key.startsWith(`${prefix}:{workflow}:email:`)) {
        expect(await slotOf(key)).toBe(queueSlot);
      } else if (key.startsWith(`${prefix}:{workflow}:email-worker:`)) {
        expect(await slotOf(key)).toBe(queueSlot);
        appKeys.push(key);
      } else if (/^test-.*:messages:(gmail|outlook)$/.test(key)) {
        expect(key).toMatch(new RegExp(`^${prefix}:messages:(gmail|outlook)$`));
      } else {
        const provider = /^\{[^}]*:messages:(gmail|outlook)\}:email-worker:appended:/.exec(key)?.[1] as EmailProvider | undefined;
        expect({ key, provider }).toEqual({ key, provider: expect.stringMatching(/^(gmail|outlook)$/) });
        if (config.sink.kind === 'redis-stream' && provider) expect(key.startsWith(config.sink.markerKeyPrefixes[provider])).toBe(true);
        expect(await slotOf(key)).toBe(await slotOf(`${prefix}:messages:${provider}`));
      }
    }
    expect(config.keyPrefix).toBe(`${prefix}:{workflow}:email-worker`);
    return appKeys;
  }

  /** Shuts the app down and checks that none of its connections is left on any master. */
  async function shutdownAndExpectNoConnections(): Promise<void> {
    await app?.shutdown.shutdown('test');
    app = undefined;
    await producer.close();
    // Judged by client id, not by count: an earlier test's connections still closing neither hide a leak nor fail it.
    await waitForNoClientsSince(admin, clientsMark, 'no connection of the app or the producer left on any master');
  }

  beforeAll(async () => {
    cluster = await startThrowawayRedisCluster(3);
    settings = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes });
    admin = await cluster.openAdmin();
  }, 60_000);

  afterAll(async () => {
    admin?.disconnect();
    await cluster?.stop();
  });

  beforeEach(async () => {
    fakes = await startEmailFakes();
    prefix = uniquePrefix('email-cluster');
    clientsMark = await markClusterClients(admin);
    producer = new JobProducer({ redis: settings, prefix, telemetry: 'off' });
  });

  afterEach(async () => {
    await app?.shutdown.shutdown('test end');
    app = undefined;
    await producer.close();
    await fakes.close();
    for (const node of admin.nodes('master')) {
      const [, keys] = await node.scan('0', 'MATCH', `*${prefix}*`, 'COUNT', 100_000);
      if (keys.length > 0) await Promise.all(keys.map((key) => node.unlink(key)));
    }
  });

  it('EMAIL_SYNC through the Redis Stream sink, Gmail and Outlook: every message once, an expired cursor resyncs without doubles, keys in their slots', async () => {
    const config = await startApp();
    const boxes: Record<EmailProvider, { mailbox: FakeMailboxHandle; ids: string[] }> = {} as never;
    for (const provider of ['gmail', 'outlook'] as const) {
      const mailbox = addFakeMailbox(fakes, provider, `acc-${provider}`);
      boxes[provider] = { mailbox, ids: fixtures.map((f) => mailbox.add(f.raw)) };
    }
    const data = (provider: EmailProvider) => ({ userId: 'user-1', accountId: boxes[provider].mailbox.accountId, emailProvider: provider, syncSince: '2000-01-01' });

    for (const provider of ['gmail', 'outlook'] as const) {
      const { mailbox, ids } = boxes[provider];
      const first = await run('EMAIL_SYNC', data(provider));
      expect(first.returnvalue).toMatchObject({ fetched: 20, new: 20, changed: 0, deleted: 0, repeatsSkipped: 0, fullSync: true, resyncReason: null });
      expect(new Set(messageIds(await streamEvents(provider)))).toEqual(new Set(ids));

      // The provider forgets the cursor: the resync lists the mailbox again and the markers
      // (read by MGET, checked again in the append script) drop everything handed over before.
      const late = mailbox.add(freshMessage(1));
      mailbox.expireCursor();
      const resync = await run('EMAIL_SYNC', data(provider));
      expect(resync.returnvalue).toMatchObject({ fullSync: true, resyncReason: 'cursor-expired', new: 1 });
      const events = await streamEvents(provider);
      expect(messageIds(events).sort()).toEqual([...ids, late].sort());
      expect(events.filter((e) => e.type === 'resync')).toHaveLength(1);

      // The saved cursor works: the next sync is incremental and empty.
      const again = await run('EMAIL_SYNC', data(provider));
      expect(again.returnvalue).toMatchObject({ fullSync: false, new: 0, changed: 0, deleted: 0 });
      const state = await admin.hgetall(`${config.keyPrefix}:state:${provider}:${mailbox.accountId}`);
      expect(state).toMatchObject({ version: '1', cursor: (again.returnvalue as { cursor: string }).cursor, userId: 'user-1' });
      expect(state['checkpoint']).toBeUndefined();
    }

    const appKeys = await expectKeyLayout(config);
    expect(appKeys).toEqual([`${config.keyPrefix}:state:gmail:acc-gmail`, `${config.keyPrefix}:state:outlook:acc-outlook`]);
    // One marker per event appended (20 messages, 1 new, 1 resync notice per stream).
    for (const provider of ['gmail', 'outlook'] as const) {
      const markers = (await allKeys()).filter((key) => key.startsWith(`{${prefix}:messages:${provider}}:email-worker:appended:`));
      expect(markers).toHaveLength(22);
    }
    await shutdownAndExpectNoConnections();
  }, 120_000);

  it('EMAIL_SYNC takes the mailbox lock in the app slot: a second sync of the mailbox waits for it, without using an attempt', async () => {
    const config = await startApp({ WORKER_CONCURRENCY: '2' });
    const mailbox = addFakeMailbox(fakes, 'gmail', 'acc-locked');
    const ids = fixtures.map((f) => mailbox.add(f.raw));
    // Slow enough that the first sync still holds the lock when the second is picked up.
    fakes.gmail.setLatencyMs(1000);
    const data = { userId: 'user-1', accountId: mailbox.accountId, emailProvider: 'gmail' as const, syncSince: '2000-01-01' };
    const lockKey = `${config.keyPrefix}:lock:gmail:acc-locked`;

    const first = await producer.add('EMAIL_SYNC', data);
    await waitFor('the first sync to hold the lock', async () => (await admin.exists(lockKey)) === 1, { timeoutMs: 30_000, intervalMs: 10 });
    expect(await slotOf(lockKey)).toBe(await slotOf(`${prefix}:{workflow}:email:wait`));
    const second = await producer.add('EMAIL_SYNC', data);
    await waitFor('the second sync to be deferred', () => logs.some((l) => l['msg'] === 'retrying later without using an attempt' && l['jobId'] === second.id), {
      timeoutMs: 30_000,
    });
    fakes.gmail.setLatencyMs(0);

    const firstDone = await completed(first.id as string);
    const secondDone = await completed(second.id as string);
    expect(firstDone.returnvalue).toMatchObject({ new: 20 });
    // It ran once the first had released the lock: from the first's cursor, nothing new.
    expect(secondDone.returnvalue).toMatchObject({ new: 0, fullSync: false });
    expect(secondDone.attemptsMade).toBe(1);
    expect(messageIds(await streamEvents('gmail')).sort()).toEqual([...ids].sort());
    // Released (Lua, by token) at the end of each sync.
    expect(await admin.exists(lockKey)).toBe(0);
    await expectKeyLayout(config);
    await shutdownAndExpectNoConnections();
  }, 120_000);

  it.each<EmailProvider>(['gmail', 'outlook'])('EMAIL_DRAFT on %s: the draft record (MULTI) in the app slot makes a retry update its draft: one draft, one model call', async (provider) => {
    const config = await startApp();
    const mailbox = addFakeMailbox(fakes, provider, `drafts-${provider}`);
    if (!ROOT) throw new Error('fixture plain_emails/raw_email_reply.eml missing');
    const threadId = mailbox.threadOf(mailbox.add(ROOT.raw));
    mailbox.add(followUp('Could we talk about the renewal next week?'));
    // Fails after the draft exists, more often than the in-place retries absorb (as the e2e).
    mailbox.failNext(4, 503, provider === 'gmail' ? /\/drafts\/[^/]+$/ : /\/messages\/[^/]+$/);

    const job = await run('EMAIL_DRAFT', { userId: 'user-1', accountId: mailbox.accountId, emailProvider: provider, threadId, context: 'Offer a call.', tone: 'friendly' });
    // The first attempt failed after the draft existed; the second read the draft id back from
    // its record and updated that draft.
    expect(job.attemptsMade).toBe(2);
    expect((job.stacktrace ?? []).join('\n')).toMatch(/ProviderUnavailableError/);
    expect(logs.filter((l) => l['msg'] === 'reply draft saved').map((l) => l['updated'])).toEqual([true]);
    const result = job.returnvalue as { draftId: string; subject: string; model: string };
    expect(result).toMatchObject({ threadId, subject: 'Re: Test reply email', model: 'local-test-model' });
    expect(mailbox.drafts().map((d) => d.id)).toEqual([result.draftId]);
    expect(fakes.chat.requests).toHaveLength(1);
    expect(mailbox.sentCount()).toBe(0);

    const record = await admin.hgetall(`${config.keyPrefix}:draft:${job.id}:${job.timestamp}`);
    expect(record).toMatchObject({ version: '1', draftId: result.draftId });
    expect(JSON.parse(record['reply'] ?? 'null')).toMatchObject({ model: 'local-test-model' });
    expect(await expectKeyLayout(config)).toEqual([`${config.keyPrefix}:draft:${job.id}:${job.timestamp}`]);
    await shutdownAndExpectNoConnections();
  }, 120_000);

  describe('with the webhook sink', () => {
    let receiver: TestServer;
    const received: MailboxEvent[] = [];

    beforeEach(async () => {
      received.length = 0;
      receiver = await startTestServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          try {
            const payload = new Webhook(WEBHOOK_SECRET).verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>) as { events: MailboxEvent[] };
            received.push(...payload.events);
            res.writeHead(204).end();
          } catch {
            res.writeHead(401).end();
          }
        });
      });
    });
    afterEach(async () => {
      await receiver.close();
    });

    it('EMAIL_SYNC posts every message once; its sent markers (MGET, pipeline) live in the app slot and drop repeats after an expired cursor', async () => {
      const config = await startApp({ EMAIL_SINK: 'webhook', EMAIL_WEBHOOK_URL: receiver.url('/hooks/mail'), EMAIL_WEBHOOK_SECRET: WEBHOOK_SECRET });
      const mailbox = addFakeMailbox(fakes, 'gmail', 'acc-hook');
      const ids = fixtures.map((f) => mailbox.add(f.raw));
      const data = { userId: 'user-1', accountId: mailbox.accountId, emailProvider: 'gmail' as const, syncSince: '2000-01-01' };

      const first = await run('EMAIL_SYNC', data);
      expect(first.returnvalue).toMatchObject({ new: 20, repeatsSkipped: 0 });
      expect(messageIds(received).sort()).toEqual([...ids].sort());

      const late = mailbox.add(freshMessage(2));
      mailbox.expireCursor();
      const resync = await run('EMAIL_SYNC', data);
      expect(resync.returnvalue).toMatchObject({ resyncReason: 'cursor-expired', new: 1 });
      expect(messageIds(received).sort()).toEqual([...ids, late].sort());

      const appKeys = await expectKeyLayout(config);
      const sent = appKeys.filter((key) => key.startsWith(`${config.keyPrefix}:sent:`));
      expect(sent).toHaveLength(22); // 21 messages and the resync notice
      expect(appKeys.filter((key) => !sent.includes(key))).toEqual([`${config.keyPrefix}:state:gmail:acc-hook`]);
      await shutdownAndExpectNoConnections();
    }, 120_000);
  });
});
