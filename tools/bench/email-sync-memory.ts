// `npm run bench:email [-- 10000 100000]`
//
// Does a mailbox sync hold the mailbox in memory? Syncs Gmail mailboxes of N messages (the 54
// real fixtures, repeated) through the real email worker process, with the app's side reading
// and acknowledging the output stream, and reports the worker's peak resident memory (VmHWM
// from /proc) per size, side by side in one run. Bounded paging means the peak should not grow
// with the mailbox; the ratio of the largest to the smallest size is printed.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JobProducer, ioRedisOptions, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { loadFixtureEmails, spawnWorkerProcess, startFakeChatCompletionsServer, startFakeGmailServer, startFakeTokenService, startThrowawayRedis } from '@jobs/test-support';

const say = (line: string) => process.stdout.write(`${line}\n`);

function memoryKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
}

interface Measurement {
  readonly messages: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly idleRssMb: number;
}

async function measure(size: number, redisUrl: string): Promise<Measurement> {
  const fixtures = loadFixtureEmails();
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const [gmail, chat, tokens] = await Promise.all([startFakeGmailServer(), startFakeChatCompletionsServer({ apiKey: 'sk-bench' }), startFakeTokenService('bench-secret')]);
  const mailbox = gmail.addMailbox('bench@example.com', { token: 'bench-token' });
  tokens.setTokens('bench@example.com', ['bench-token']);
  const base = Date.UTC(2020, 0, 1);
  for (let i = 0; i < size; i += 1) mailbox.addMessage((fixtures[i % fixtures.length] as { raw: Buffer }).raw, { internalDate: base + i * 1000 });

  const worker = spawnWorkerProcess('apps/email-worker/src/main.ts', {
    REDIS_URL: redisUrl,
    BULLMQ_PREFIX: prefix,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'warn',
    EMAIL_GMAIL_API_URL: `${gmail.origin}/`,
    EMAIL_TOKEN_URL: tokens.url,
    EMAIL_TOKEN_SECRET: 'bench-secret',
    OPENAI_BASE_URL: chat.baseURL,
    OPENAI_API_KEY: 'sk-bench',
    EMAIL_STREAM_KEY_PREFIX: `${prefix}:messages`,
    EMAIL_STREAM_MAXLEN: '20000',
    EMAIL_SYNC_PAGE_SIZE: '100',
  });
  const pid = worker.child.pid as number;
  const settings = redisSettingsFromEnv({ REDIS_URL: redisUrl });
  const producer = new JobProducer({ redis: settings, prefix });
  const queue = new Queue('email', { connection: ioRedisOptions(settings, 'producer'), prefix });
  const app = new Redis(redisUrl);
  const stream = `${prefix}:messages:gmail`;
  try {
    // Let the process settle, then note its resident memory before any work.
    await new Promise((r) => setTimeout(r, 3000));
    const idleRssMb = memoryKb(pid, 'VmRSS') / 1024;

    // The app's side: read and acknowledge as fast as it can, as a consumer group member.
    let reading = true;
    let consumed = 0;
    const consumer = (async () => {
      const reader = new Redis(redisUrl);
      await reader.xgroup('CREATE', stream, 'email-app', '0', 'MKSTREAM').catch(() => undefined);
      while (reading) {
        const res = (await reader.xreadgroup('GROUP', 'email-app', 'bench', 'COUNT', 1000, 'BLOCK', 200, 'STREAMS', stream, '>')) as
          | [string, [string, string[]][]][]
          | null;
        const ids = res?.[0]?.[1].map(([id]) => id) ?? [];
        if (ids.length > 0) {
          await reader.xack(stream, 'email-app', ...ids);
          consumed += ids.length;
        }
      }
      await reader.quit();
    })();

    const started = Date.now();
    const job = await producer.add('EMAIL_SYNC', { userId: 'bench', accountId: 'bench@example.com', emailProvider: 'gmail', syncSince: '2019-01-01' });
    let lastReport = 0;
    for (;;) {
      const current = await queue.getJob(job.id as string);
      if (current?.finishedOn) {
        if (current.failedReason) throw new Error(`sync failed: ${current.failedReason}`);
        break;
      }
      if (Date.now() - lastReport > 5000) {
        const p = (current?.progress ?? {}) as { pages?: number; new?: number };
        say(`  ${size} messages: ${p.new ?? 0} handed over in ${p.pages ?? 0} pages, ${consumed} read by the app, worker RSS ${(memoryKb(pid, 'VmRSS') / 1024).toFixed(0)} MB`);
        lastReport = Date.now();
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (Date.now() - started) / 1000;
    const peakRssMb = memoryKb(pid, 'VmHWM') / 1024;
    const result = (await queue.getJob(job.id as string))?.returnvalue as { new: number };
    if (result.new !== size) throw new Error(`expected ${size} new messages, got ${result.new}`);
    reading = false;
    await consumer;
    return { messages: size, seconds, peakRssMb, idleRssMb };
  } finally {
    worker.child.kill('SIGTERM');
    await worker.exited;
    await Promise.all([producer.close(), queue.close(), app.quit()]);
    await Promise.all([gmail.close(), chat.close(), tokens.close()]);
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const runSizes = sizes.length > 0 ? sizes : [10_000, 100_000];
  const redis = await startThrowawayRedis();
  try {
    say(`email sync memory benchmark: Gmail mailboxes of ${runSizes.join(', ')} messages, pages of 100, 8 downloads at once`);
    const results: Measurement[] = [];
    for (const size of runSizes) {
      results.push(await measure(size, redis.url));
      const r = results.at(-1) as Measurement;
      say(`  done: ${r.messages} messages in ${r.seconds.toFixed(1)} s (${(r.messages / r.seconds).toFixed(0)} msg/s)`);
    }
    say('');
    say('messages   seconds   msg/s   worker RSS idle   worker peak RSS (VmHWM)');
    for (const r of results) {
      say(`${String(r.messages).padStart(8)}   ${r.seconds.toFixed(1).padStart(7)}   ${(r.messages / r.seconds).toFixed(0).padStart(5)}   ${r.idleRssMb.toFixed(0).padStart(12)} MB   ${r.peakRssMb.toFixed(0).padStart(12)} MB`);
    }
    const smallest = results[0] as Measurement;
    const largest = results.at(-1) as Measurement;
    say('');
    say(`peak RSS ratio ${largest.messages} / ${smallest.messages} messages: ${(largest.peakRssMb / smallest.peakRssMb).toFixed(2)} (mailbox ${(largest.messages / smallest.messages).toFixed(0)}x larger)`);
  } finally {
    await redis.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
