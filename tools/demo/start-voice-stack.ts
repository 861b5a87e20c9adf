import { randomBytes } from 'node:crypto';
import { freePort, startFakeVapiServer, type FakeVapiServer, type WorkerProcess } from '@jobs/test-support';
import { startDemoWorker, type DemoContext } from './demo-context';

/** The voice worker of a demo run and the local Vapi server it calls. */
export interface VoiceStack {
  readonly worker: WorkerProcess;
  readonly vapi: FakeVapiServer;
}

const started = new WeakMap<DemoContext, Promise<VoiceStack>>();

/**
 * The voice worker as its own process with its webhook receiver, against a local server that
 * speaks Vapi's API (calls queue 0.3 s, ring 0.8 s, talk 2.5 s, then end; server webhooks go to
 * the worker). Every hour and day may ring. Started once per demo run: the parts that need it
 * share it.
 * @throws Error when the worker does not start within 30 s.
 */
export function startVoiceStack(ctx: DemoContext): Promise<VoiceStack> {
  let stack = started.get(ctx);
  if (!stack) {
    stack = start(ctx);
    started.set(ctx, stack);
  }
  return stack;
}

async function start(ctx: DemoContext): Promise<VoiceStack> {
  const apiKey = `vapi-demo-${randomBytes(8).toString('hex')}`;
  const webhookSecret = randomBytes(16).toString('hex');
  const vapi = await startFakeVapiServer({ apiKey, timings: { queuedMs: 300, ringingMs: 800, talkMs: 2500 } });
  ctx.onCleanup(() => vapi.close());
  ctx.say(`local Vapi API ${vapi.origin} (calls ring, are answered or busy, and end; webhooks go to the worker)`);
  const webhookPort = await freePort();
  const worker = await startDemoWorker(ctx, 'voice-worker', 'apps/voice-worker/src/main.ts', {
    VAPI_BASE_URL: vapi.origin,
    VAPI_API_KEY: apiKey,
    VAPI_PHONE_NUMBER_ID: 'pn-demo-0001',
    VOICE_WEBHOOK_SECRET: webhookSecret,
    VOICE_WEBHOOK_PUBLIC_URL: `http://127.0.0.1:${webhookPort}/vapi/webhook`,
    VOICE_WEBHOOK_HOST: '127.0.0.1',
    VOICE_WEBHOOK_PORT: String(webhookPort),
    // The demo rings at any hour; the default is Mon–Fri 09:00–20:00 in the callee's zone.
    VOICE_CALLING_HOURS: '00:00-24:00',
    VOICE_CALLING_DAYS: 'sun-sat',
    SHUTDOWN_TIMEOUT_MS: '3000',
  });
  return { worker, vapi };
}
