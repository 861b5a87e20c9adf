import { Queue } from 'bullmq';
import { ioRedisOptions, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, freePort, spawnWorkerProcess, testRedisUrl, uniquePrefix, waitFor, type FakeVapiServer, type WorkerProcess } from '@jobs/test-support';
import { startVapiFake, voiceEnv } from './test-support/voice-harness';

const url = testRedisUrl();

type Step = 'create request in flight' | 'created, answer not yet seen' | 'call in progress' | 'ended, result not yet stored';

describe('voice-worker process: SIGKILL at each step of a call, then a restart', () => {
  let vapi: FakeVapiServer;
  let prefix: string;
  let queue: Queue;
  const workers: WorkerProcess[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) {
      w.kill();
      await w.exited;
    }
    await queue.close();
    await vapi.close();
    await deletePrefix(url, prefix);
  });

  it.each<Step>(['create request in flight', 'created, answer not yet seen', 'call in progress', 'ended, result not yet stored'])(
    'killed when %s: exactly one call is placed and the job ends with its outcome',
    async (step) => {
      vapi = await startVapiFake();
      const last = step === 'ended, result not yet stored';
      // A call in progress stays so until the test ends it, however late the test gets to look.
      const manual = last || step === 'call in progress';
      vapi.setTimings(manual ? { manual: true } : { queuedMs: 100, ringingMs: 100, talkMs: 300 });
      prefix = uniquePrefix('voice-kill');
      queue = new Queue('voice', { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: url }), 'producer'), prefix });
      const env = voiceEnv(vapi, prefix, await freePort(), {
        LOG_LEVEL: 'info',
        WORKER_LOCK_DURATION_MS: '2000',
        // In the last case only Vapi's webhook may prompt the read that sees the end.
        VOICE_POLL_INTERVAL_MS: last ? '600000' : '1000',
      });
      const start = async () => {
        const w = spawnWorkerProcess('apps/voice-worker/src/main.ts', env);
        workers.push(w);
        await w.waitForLine((l) => l['msg'] === 'worker started', 30_000);
        return w;
      };
      const first = await start();

      let held: { reached: Promise<void>; release(): void } | undefined;
      if (step === 'create request in flight') vapi.setLatencyMs(1500);
      if (step === 'created, answer not yet seen') held = vapi.holdNext({ method: 'POST', pathPattern: /^\/call$/ });
      const job = await queue.add('VOICE_CALL', { userId: 'u1', callId: `kill-${step.split(' ')[0]}`, phoneNumber: '+14155550123', assistantId: 'assistant-1' });

      if (step === 'create request in flight') {
        await waitFor('the create request to reach Vapi', () => vapi.requests.some((r) => r.method === 'POST'));
      } else if (step === 'created, answer not yet seen') {
        await held?.reached;
        expect(vapi.calls).toHaveLength(1);
      } else if (step === 'call in progress') {
        await waitFor('the call placed', () => vapi.calls.length === 1);
        await vapi.advance(vapi.calls[0]?.id as string, 'in-progress');
        await waitFor('the job waiting on the call in progress', async () => (await queue.getJobState(job.id as string)) === 'delayed');
      } else {
        await waitFor('the call placed and the job waiting', async () => vapi.calls.length === 1 && (await queue.getJobState(job.id as string)) === 'delayed');
        // The end is reported by webhook; the read it prompts is held, and the worker dies
        // after Vapi answered "ended" but before the job could store the outcome.
        held = vapi.holdNext({ method: 'GET', pathPattern: /^\/call\/[^/]+$/ });
        await vapi.advance(vapi.calls[0]?.id as string, 'ended');
        await held.reached;
      }
      first.kill();
      await first.exited;
      vapi.setLatencyMs(0);
      held?.release();

      const second = await start();
      if (step === 'call in progress') await vapi.advance(vapi.calls[0]?.id as string, 'ended');
      await waitFor('the job to finish after the restart', async () => (await queue.getJob(job.id as string))?.finishedOn, { timeoutMs: 30_000 }).catch((err: unknown) => {
        process.stdout.write(`${JSON.stringify(second.lines.slice(-15), null, 1)}\n${second.stderr()}\n${JSON.stringify(vapi.requests.slice(-10))}\n`);
        throw err;
      });
      const done = await queue.getJob(job.id as string);
      expect(done?.failedReason).toBeUndefined();
      expect(vapi.calls).toHaveLength(1);
      expect(done?.returnvalue).toMatchObject({ vapiCallId: vapi.calls[0]?.id, status: 'ended', endedReason: 'customer-ended-call' });
    },
    60_000,
  );
});
