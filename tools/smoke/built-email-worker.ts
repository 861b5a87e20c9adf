// The built email worker runs alone: installed outside the repo (see built-app.ts), it syncs a
// Gmail mailbox of the 54 fixture messages from the local Gmail server and writes a reply draft
// through the local chat completions server; then SIGTERM must exit 0.
import { QueueEvents } from 'bullmq';
import { emailDraftResultSchema, emailSyncResultSchema, ioRedisOptions, JobProducer, redisSettingsFromEnv } from '@jobs/queue-contracts';
import {
  deletePrefix,
  loadFixtureEmails,
  startFakeChatCompletionsServer,
  startFakeGmailServer,
  startFakeTokenService,
  testRedisUrl,
  uniquePrefix,
} from '@jobs/test-support';
import { check, installBuiltApp } from './built-app';
import { waitForJobResult } from '../demo/wait-for-job-result';

/** Runs the email worker's smoke test. @throws Error saying what failed. */
export async function smokeBuiltEmailWorker(): Promise<void> {
  const app = installBuiltApp('email-worker');
  const url = testRedisUrl();
  const prefix = uniquePrefix('built-email');
  const [gmail, chat, tokens] = await Promise.all([startFakeGmailServer(), startFakeChatCompletionsServer({ apiKey: 'sk-smoke' }), startFakeTokenService('smoke-secret')]);
  const mailbox = gmail.addMailbox('smoke@example.com', { token: 'smoke-token' });
  tokens.setTokens('smoke@example.com', ['smoke-token']);
  const ids = loadFixtureEmails().map((f) => mailbox.addMessage(f.raw));
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  const producer = new JobProducer({ redis, prefix });
  const events = new QueueEvents('email', { connection: ioRedisOptions(redis, 'worker'), prefix });
  try {
    const worker = await app.start({
      REDIS_URL: url,
      BULLMQ_PREFIX: prefix,
      HEALTH_PORT: '0',
      EMAIL_GMAIL_API_URL: `${gmail.origin}/`,
      EMAIL_TOKEN_URL: tokens.url,
      EMAIL_TOKEN_SECRET: 'smoke-secret',
      OPENAI_BASE_URL: chat.baseURL,
      OPENAI_API_KEY: 'sk-smoke',
      EMAIL_STREAM_KEY_PREFIX: `${prefix}:messages`,
    });
    await events.waitUntilReady();
    const sync = await producer.add('EMAIL_SYNC', { userId: 'smoke', accountId: 'smoke@example.com', emailProvider: 'gmail', syncSince: '2000-01-01' });
    const synced = emailSyncResultSchema.parse(await waitForJobResult(producer, sync, events, 60_000));
    check(synced.new === ids.length, `expected ${ids.length} new messages, got ${synced.new}`);
    const threadId = ids[0]?.threadId as string;
    const draftJob = await producer.add('EMAIL_DRAFT', { userId: 'smoke', accountId: 'smoke@example.com', emailProvider: 'gmail', threadId, context: 'Thank them.', tone: 'concise' });
    const draft = emailDraftResultSchema.parse(await waitForJobResult(producer, draftJob, events, 60_000));
    check(mailbox.listDrafts().some((d) => d.id === draft.draftId && d.message.threadId === threadId), 'the draft is not in the thread');
    worker.child.kill('SIGTERM');
    const code = await worker.exited;
    check(code === 0, `the built email-worker exited ${code} on SIGTERM, not 0:\n${worker.stderr()}`);
    process.stdout.write(`built email-worker synced ${synced.new} messages, saved draft ${draft.draftId} in its thread, and exited 0\n`);
  } finally {
    await Promise.all([producer.close(), events.close(), gmail.close(), chat.close(), tokens.close()]);
    await deletePrefix(url, prefix);
    app.remove();
  }
}
