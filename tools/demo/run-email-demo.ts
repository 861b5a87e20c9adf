import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { emailSyncResultSchema, emailDraftResultSchema, ioRedisOptions, JobProducer, mailboxEventSchema } from '@jobs/queue-contracts';
import { unlessWorkerDies, type DemoContext } from './demo-context';
import { GMAIL_ACCOUNT, OUTLOOK_ACCOUNT, startEmailStack } from './start-email-stack';
import { waitForJobResult } from './wait-for-job-result';

/**
 * The email part: local servers that speak the Gmail API, Microsoft Graph and OpenAI's chat
 * completions, two mailboxes holding the 54 real fixture messages, the email worker as its own
 * process, then: a first sync of both (progress per page), the app's side reading the output
 * stream with a consumer group, a new message arriving with an incremental sync, and a reply
 * draft written and saved in its thread (never sent).
 * @throws Error when the worker dies or a job fails.
 */
export async function runEmailDemo(ctx: DemoContext): Promise<void> {
  const producer = new JobProducer({ redis: ctx.redisSettings, prefix: ctx.prefix });
  const events = new QueueEvents('email', { connection: ioRedisOptions(ctx.redisSettings, 'worker'), prefix: ctx.prefix });
  const app = new Redis(ioRedisOptions(ctx.redisSettings, 'worker'));
  // Clean-up runs in reverse: the worker stops first (registered last, by startEmailStack), then
  // this run's keys go, then the connections close.
  ctx.onCleanup(async () => {
    await events.close();
    await app.quit();
  });
  ctx.onCleanup(() => producer.close());
  if (ctx.externalRedis) {
    ctx.onCleanup(async () => {
      await producer.queue('email').obliterate({ force: true });
      const keys = await app.keys(`${ctx.prefix}:*`);
      if (keys.length > 0) await app.del(...keys);
    });
  }
  const { worker, gmailBox, streamPrefix } = await startEmailStack(ctx);

  await events.waitUntilReady();

  const labels = new Map<string, string>();
  events.on('progress', ({ jobId, data }) => {
    const label = labels.get(jobId);
    const p = data as { pages?: number; new?: number; changed?: number; deleted?: number };
    if (label && typeof p.pages === 'number') ctx.say(`  ${label}: page ${p.pages} handed over, ${p.new} new so far`);
  });
  const sync = async (account: string, provider: 'gmail' | 'outlook') => {
    const job = await producer.add('EMAIL_SYNC', { userId: 'demo-user', accountId: account, emailProvider: provider, syncSince: '2000-01-01' });
    labels.set(job.id as string, `${provider} ${account}`);
    const done = unlessWorkerDies(worker, 'email-worker', waitForJobResult(producer, job, events)).then((r) => emailSyncResultSchema.parse(r));
    done.catch(() => undefined); // awaited later; must not count as unhandled meanwhile
    return { job, done };
  };

  // 1. First sync of both mailboxes, side by side.
  ctx.say('enqueued EMAIL_SYNC for both mailboxes (first sync: lists them from 2000-01-01)');
  const first = [await sync(GMAIL_ACCOUNT, 'gmail'), await sync(OUTLOOK_ACCOUNT, 'outlook')];
  for (const [i, { done }] of first.entries()) {
    const r = await done;
    ctx.say(`${i === 0 ? 'gmail  ' : 'outlook'} synced: ${r.new} new, ${r.changed} changed, ${r.deleted} deleted in ${r.pages} pages, ${r.durationMs} ms; cursor saved`);
  }

  // 2. The app's side: read the output stream with a consumer group.
  const stream = `${streamPrefix}:gmail`;
  const read = (await app.xreadgroup('GROUP', 'email-app', 'demo-reader', 'COUNT', 3, 'STREAMS', stream, '>')) as [string, [string, string[]][]][];
  const entries = read[0]?.[1] ?? [];
  ctx.say(`the app reads ${stream} with XREADGROUP (group email-app); first ${entries.length} of ${await app.xlen(stream)} events:`);
  for (const [id, fields] of entries) {
    const event = mailboxEventSchema.parse(JSON.parse(fields[3] ?? 'null'));
    if (event.type === 'message') {
      const m = event.message;
      const attachments = m.attachments.length > 0 ? `, attachments: ${m.attachments.map((a) => a.filename ?? '(unnamed)').join(', ')}` : '';
      ctx.say(`  ${m.date?.slice(0, 10) ?? '(no date)'}  ${m.from[0]?.address ?? '?'}  "${m.subject ?? ''}"${attachments}`);
    }
    await app.xack(stream, 'email-app', id);
  }

  // 3. A customer answers one of the threads; the next sync is incremental.
  const followUp = Buffer.from(
    'From: Mikel Lindsaar <mikel@xxxx.net>\r\nTo: rep@acme.example\r\nSubject: Re: Test reply email\r\n' +
      `Date: ${new Date().toUTCString()}\r\nMessage-ID: <demo-follow-up-${Date.now()}@xxxx.net>\r\n` +
      'In-Reply-To: <473FFE27.20003@xxx.org>\r\nReferences: <473FFE27.20003@xxx.org>\r\n\r\n' +
      'Thanks for the reply. Could we talk about the renewal next week?\r\n',
  );
  const added = gmailBox.addMessage(followUp);
  ctx.say(`a new message arrives in ${GMAIL_ACCOUNT}, in the thread "Re: Test reply email" (thread ${added.threadId})`);
  const second = await (await sync(GMAIL_ACCOUNT, 'gmail')).done;
  ctx.say(`gmail   incremental sync (history since the saved cursor): ${second.new} new, ${second.changed} changed, ${second.deleted} deleted`);

  // 4. A reply draft for that thread.
  const draftJob = await producer.add('EMAIL_DRAFT', {
    userId: 'demo-user',
    accountId: GMAIL_ACCOUNT,
    emailProvider: 'gmail',
    threadId: added.threadId,
    context: 'Say yes, and offer Tuesday at 10:00.',
    tone: 'friendly',
  });
  ctx.say(`enqueued EMAIL_DRAFT job ${draftJob.id} (tone friendly)`);
  const draft = emailDraftResultSchema.parse(await unlessWorkerDies(worker, 'email-worker', waitForJobResult(producer, draftJob, events)));
  const saved = gmailBox.listDrafts().find((d) => d.id === draft.draftId);
  ctx.say(`draft ${draft.draftId} saved in thread ${saved?.message.threadId} of ${GMAIL_ACCOUNT} (not sent), model ${draft.model}, ${draft.promptTokens} + ${draft.completionTokens} tokens`);
  ctx.say(`  Subject: ${draft.subject}`);
  for (const line of draft.body.split('\n')) ctx.say(`  | ${line}`);
  ctx.say('');
}
