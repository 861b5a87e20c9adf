import {
  leadEnrichmentActor,
  spawnWorkerProcess,
  startFakeApifyServer,
  startFakeChatCompletionsServer,
  startFakeGmailServer,
  startFakeTokenService,
  startFakeVapiServer,
  testRedisUrl,
  type FakeApifyServer,
  type FakeChatCompletionsServer,
  type FakeGmailServer,
  type FakeTokenService,
  type FakeVapiServer,
  type WorkerProcess,
} from '@jobs/test-support';

const APIFY_TOKEN = 'apify_api_crash_test_token';
const ACTOR_ID = 'sales-tools~lead-enricher';
const CHAT_API_KEY = 'sk-crash-test-key';
const TOKEN_SECRET = 'crash-test-token-service-secret';
const VAPI_API_KEY = 'vapi-private-crash-test-key';
/** The Gmail mailbox drafts are saved in; also its account id at the token service. */
export const MAILBOX = 'rep@acme.example';
const MAILBOX_TOKEN = 'crash-test-gmail-token';

/**
 * The three queues a workflow drives, each served by its real worker app as its own process
 * (started from its `main.ts` as the other apps' process specs do), pointed at local servers that
 * speak the providers' wire formats: Apify (enrichment), Gmail, chat completions and the token
 * service (email drafts), Vapi (calls; every number answers, talks 300 ms and hangs up).
 */
export interface ChildWorkerFleet {
  readonly apify: FakeApifyServer;
  readonly gmail: FakeGmailServer;
  readonly chat: FakeChatCompletionsServer;
  readonly tokens: FakeTokenService;
  readonly vapi: FakeVapiServer;
  readonly workers: readonly WorkerProcess[];
  /** Adds an inbound message to the mailbox (a new lead writing in); returns its thread id. */
  addInboundThread(label: string): string;
  /** Gmail drafts saved in `threadId`. */
  draftsIn(threadId: string): number;
  /** Apify runs whose input holds lead `leadId`. */
  enrichmentRunsFor(leadId: string): number;
  /** Vapi calls created for the VOICE_CALL `callId` (the voice worker puts it in the call's metadata). */
  callsFor(callId: string): number;
  /** Stops the worker processes (SIGTERM, then SIGKILL after 15 s) and the servers; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the servers and the enrichment, email and voice workers on `prefix`.
 * @param redisEnv - the workers' Redis variables, added over this process's environment:
 *   default `{ REDIS_URL: testRedisUrl() }`; `{ REDIS_URL: '', REDIS_CLUSTER_NODES: … }` runs
 *   them on a Redis Cluster (an empty variable counts as unset).
 * @throws when a worker does not start within 60 s (the servers and started workers are stopped).
 */
export async function startChildWorkerFleet(prefix: string, redisEnv: Readonly<Record<string, string>> = { REDIS_URL: testRedisUrl() }): Promise<ChildWorkerFleet> {
  const [apify, gmail, chat, tokens, vapi] = await Promise.all([
    startFakeApifyServer({ token: APIFY_TOKEN }),
    startFakeGmailServer(),
    startFakeChatCompletionsServer({ apiKey: CHAT_API_KEY }),
    startFakeTokenService(TOKEN_SECRET),
    startFakeVapiServer({ apiKey: VAPI_API_KEY }),
  ]);
  apify.addActor(ACTOR_ID, { run: leadEnrichmentActor(), durationMs: 30 });
  const box = gmail.addMailbox(MAILBOX, { token: MAILBOX_TOKEN });
  tokens.setTokens(MAILBOX, [MAILBOX_TOKEN]);
  vapi.setTimings({ queuedMs: 50, ringingMs: 100, talkMs: 300 });

  const common = { ...redisEnv, BULLMQ_PREFIX: prefix, HEALTH_HOST: '127.0.0.1', HEALTH_PORT: '0', LOG_LEVEL: 'info', WORKER_LOCK_DURATION_MS: '5000' };
  const workers = [
    spawnWorkerProcess('apps/enrichment-worker/src/main.ts', { ...common, APIFY_BASE_URL: apify.baseUrl, APIFY_TOKEN, APIFY_ACTOR_ID: ACTOR_ID }),
    spawnWorkerProcess('apps/email-worker/src/main.ts', {
      ...common,
      EMAIL_GMAIL_API_URL: `${gmail.origin}/`,
      EMAIL_TOKEN_URL: tokens.url,
      EMAIL_TOKEN_SECRET: TOKEN_SECRET,
      OPENAI_BASE_URL: chat.baseURL,
      OPENAI_API_KEY: CHAT_API_KEY,
      OPENAI_MODEL: 'local-test-model',
      OPENAI_CONTEXT_WINDOW_TOKENS: '8192',
      EMAIL_STREAM_KEY_PREFIX: `${prefix}:messages`,
    }),
    spawnWorkerProcess('apps/voice-worker/src/main.ts', {
      ...common,
      VAPI_BASE_URL: vapi.origin,
      VAPI_API_KEY,
      VAPI_PHONE_NUMBER_ID: 'pn-crash-0001',
      VOICE_POLL_INTERVAL_MS: '1000',
      VOICE_CALLING_HOURS: '00:00-24:00',
      VOICE_CALLING_DAYS: 'sun-sat',
    }),
  ];
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
      const stopped = await Promise.race([Promise.all(workers.map((w) => w.exited)).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000).unref())]);
      if (!stopped) for (const w of workers) w.kill();
      await Promise.all(workers.map((w) => w.exited));
      await Promise.all([apify.close(), gmail.close(), chat.close(), tokens.close(), vapi.close()]);
    })());
  try {
    await Promise.all(workers.map((w) => w.waitForLine((l) => l['msg'] === 'worker started', 60_000)));
  } catch (err) {
    await close();
    throw err;
  }

  let inbound = 0;
  return {
    apify,
    gmail,
    chat,
    tokens,
    vapi,
    workers,
    addInboundThread(label) {
      inbound += 1;
      const raw =
        `From: Lead ${label} <lead-${inbound}@acme.example>\r\nTo: ${MAILBOX}\r\nSubject: Interested in a demo (${label})\r\n` +
        `Message-ID: <inbound-${inbound}-${label}@acme.example>\r\nDate: Mon, 30 Nov 2026 09:00:00 +0000\r\n` +
        `Content-Type: text/plain; charset=utf-8\r\n\r\nHello, we would like to see a demo next week.\r\n`;
      return box.addMessage(raw).threadId;
    },
    draftsIn: (threadId) => box.listDrafts().filter((d) => d.message.threadId === threadId).length,
    enrichmentRunsFor: (leadId) =>
      apify.runs.filter((r) => ((r.input as { leads?: { id?: string }[] } | null)?.leads ?? []).some((lead) => lead.id === leadId)).length,
    callsFor: (callId) =>
      vapi.calls.filter((c) => (c.assistantOverrides as { metadata?: { callId?: string } } | undefined)?.metadata?.callId === callId).length,
    close,
  };
}
