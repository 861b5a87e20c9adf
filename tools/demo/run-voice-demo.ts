import { QueueEvents } from 'bullmq';
import { ioRedisOptions, JobProducer, voiceCallResultSchema } from '@jobs/queue-contracts';
import { unlessWorkerDies, type DemoContext } from './demo-context';
import { startVoiceStack } from './start-voice-stack';
import { waitForJobResult } from './wait-for-job-result';

/**
 * The voice part: a local server that speaks Vapi's API (calls ring, are answered or busy, and
 * end; server webhooks to the worker), the voice worker as its own process with its webhook
 * receiver, three VOICE_CALL jobs — answered, busy, and a number that is not one — followed to
 * their end with the call's status as progress.
 * @throws Error when the worker dies.
 */
export async function runVoiceDemo(ctx: DemoContext): Promise<void> {
  const producer = new JobProducer({ redis: ctx.redisSettings, prefix: ctx.prefix });
  const events = new QueueEvents('voice', { connection: ioRedisOptions(ctx.redisSettings, 'worker'), prefix: ctx.prefix });
  ctx.onCleanup(() => producer.close());
  ctx.onCleanup(() => events.close());
  if (ctx.externalRedis) ctx.onCleanup(() => producer.queue('voice').obliterate({ force: true }));
  const { worker, vapi } = await startVoiceStack(ctx);
  vapi.setOutcome('+442071838750', 'busy');
  await events.waitUntilReady();

  const calls = [
    { label: 'answered', callId: 'demo-call-1', phoneNumber: '+1 (415) 555-0123' },
    { label: 'busy', callId: 'demo-call-2', phoneNumber: '+44 20 7183 8750' },
    { label: 'not a number', callId: 'demo-call-3', phoneNumber: '+1 555 12' },
  ];
  const labels = new Map<string, string>();
  const lastStatus = new Map<string, string>();
  events.on('progress', ({ jobId, data }) => {
    const p = data as { step?: string; status?: string };
    const label = labels.get(jobId);
    if (!label || p.step !== 'following' || !p.status || lastStatus.get(jobId) === p.status) return;
    lastStatus.set(jobId, p.status);
    ctx.say(`  ${label}: call is ${p.status}`);
  });
  const jobs = [];
  for (const c of calls) {
    const job = await producer.add('VOICE_CALL', { userId: 'demo-user', callId: c.callId, phoneNumber: c.phoneNumber, assistantId: 'assistant-demo', metadata: { leadId: c.callId } });
    labels.set(job.id as string, `${c.callId} (${c.label})`);
    jobs.push({ c, job });
  }
  ctx.say(`enqueued ${calls.length} VOICE_CALL jobs; the worker holds no slot while a call rings or talks`);
  for (const { c, job } of jobs) {
    try {
      const r = voiceCallResultSchema.parse(await unlessWorkerDies(worker, 'voice-worker', waitForJobResult(producer, job, events)));
      ctx.say(`${c.callId} ${c.phoneNumber}: ${r.status}, ${r.endedReason}${r.durationSeconds !== null ? `, ${r.durationSeconds.toFixed(1)} s` : ''}${r.cost !== null ? `, $${r.cost.toFixed(3)}` : ''}`);
      if (r.summary) ctx.say(`  summary: ${r.summary}`);
    } catch (err) {
      ctx.say(`${c.callId} ${c.phoneNumber}: failed at once: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  ctx.say(`calls placed on Vapi: ${vapi.calls.length} (one per valid job)`);
  ctx.say('');
}
