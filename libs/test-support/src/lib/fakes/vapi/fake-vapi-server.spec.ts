import type { IncomingHttpHeaders } from 'node:http';
import { Vapi, VapiClient, VapiError, VapiTimeoutError } from '@vapi-ai/server-sdk';
import { startTestServer, type TestServer } from '../../start-test-server';
import { waitFor } from '../../wait-for';
import { startFakeVapiServer, type FakeVapiServer, type FakeVapiServerMessage } from './fake-vapi-server';

// Every test drives the fake through the real `@vapi-ai/server-sdk` 2.0.1 client.

const API_KEY = 'vapi-private-key-0123456789';
const ASSISTANT_ID = '5b0a4a0e-4a51-4c3b-9d8e-8f6a2f1c0a11';
const PHONE_NUMBER_ID = 'c6ea6cb0-0dfb-4a65-918f-6a33abb54b64';
const ANSWERS = '+14155550100';
const BUSY = '+14155550101';
const NO_ANSWER = '+14155550102';
const FAILS = '+14155550103';
const FAST = { queuedMs: 10, ringingMs: 20, talkMs: 60 };

interface ReceivedMessage {
  readonly headers: IncomingHttpHeaders;
  readonly body: FakeVapiServerMessage;
}

/** A webhook receiver: records every message and answers `status` (200 unless changed). */
async function startReceiver(): Promise<{ server: TestServer; received: ReceivedMessage[]; answer: { status: number } }> {
  const received: ReceivedMessage[] = [];
  const answer = { status: 200 };
  const server = await startTestServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeVapiServerMessage });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, received, answer };
}

async function caught(promise: Promise<unknown>): Promise<VapiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof VapiError) return err;
    throw err;
  }
  throw new Error('expected a VapiError');
}

/** The SDK types `calls.create`'s answer as a call or a batch; one customer gives one call. */
function asCall(created: Vapi.CreateCallsResponse): Vapi.Call {
  if (!('id' in created)) throw new Error(`expected one call, got ${JSON.stringify(created)}`);
  return created;
}

/**
 * For requests that end without an HTTP answer (aborted, cut off, refused): the SDK (2.0.1
 * `makeRequest`) clears its `timeoutInSeconds` timer only when fetch resolves, so such a request
 * leaves a referenced timer (60 s by default) that keeps the process alive. Keep it short.
 */
const NO_ANSWER_EXPECTED = { timeoutInSeconds: 0.5 };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('fake Vapi server, through @vapi-ai/server-sdk', () => {
  let server: FakeVapiServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeEach(async () => {
    receiver = await startReceiver();
    server = await startFakeVapiServer({ apiKey: API_KEY, webhookUrl: receiver.server.url('/vapi/webhook'), webhookSecret: 'hook-secret', timings: FAST });
    server.setOutcome(BUSY, 'busy');
    server.setOutcome(NO_ANSWER, 'no-answer');
    server.setOutcome(FAILS, 'failed');
  });

  afterEach(async () => {
    await server.close();
    await receiver.server.close();
  });

  // Retries off unless a test is about them: the SDK's default would retry (see below).
  const client = (options: { token?: string; maxRetries?: number } = { maxRetries: 0 }): VapiClient =>
    new VapiClient({ token: options.token ?? API_KEY, baseUrl: server.origin, ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }) });

  const place = async (number: string, vapi = client(), metadata: Record<string, unknown> = { jobCallId: `job-${number}` }): Promise<Vapi.Call> =>
    asCall(await vapi.calls.create({ assistantId: ASSISTANT_ID, phoneNumberId: PHONE_NUMBER_ID, customer: { number }, assistantOverrides: { metadata } }));

  const ended = (vapi: VapiClient, id: string): Promise<Vapi.Call> =>
    waitFor(`call ${id} to end`, async () => {
      const call = await vapi.calls.get({ id });
      return call.status === 'ended' ? call : undefined;
    });

  const messagesOf = (callId: string): Array<FakeVapiServerMessage['message']> => receiver.received.map((r) => r.body.message).filter((m) => m.call.id === callId);
  const announced = (callId: string): string[] => messagesOf(callId).map((m) => (m.type === 'status-update' ? m.status : m.type));

  describe('a call, from creation to its end', () => {
    it('answers 201 with the queued Call, and the answered call ends with transcript, summary, recording, duration and cost', async () => {
      const vapi = client();
      const before = Date.now();
      const created = await place(ANSWERS, vapi, { jobCallId: 'job-1', attempt: 1 });

      expect(created).toMatchObject({
        type: 'outboundPhoneCall',
        status: 'queued',
        assistantId: ASSISTANT_ID,
        phoneNumberId: PHONE_NUMBER_ID,
        customer: { number: ANSWERS },
        assistantOverrides: { metadata: { jobCallId: 'job-1', attempt: 1 } },
        phoneCallProvider: 'twilio',
      });
      expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(created.orgId).toEqual(expect.any(String));
      expect(Date.parse(created.createdAt)).toBeGreaterThanOrEqual(before - 1);
      expect(created.updatedAt).toBe(created.createdAt);
      expect(created.startedAt).toBeUndefined();
      expect(created.endedReason).toBeUndefined();
      expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/call', status: 201 });

      const call = await ended(vapi, created.id);
      expect(call).toMatchObject({ id: created.id, status: 'ended', endedReason: 'customer-ended-call', assistantOverrides: { metadata: { jobCallId: 'job-1', attempt: 1 } } });
      const startedAt = Date.parse(call.startedAt!);
      const endedAt = Date.parse(call.endedAt!);
      expect(startedAt).toBeGreaterThanOrEqual(Date.parse(call.createdAt) + FAST.queuedMs + FAST.ringingMs - 5);
      expect(endedAt - startedAt).toBeGreaterThanOrEqual(FAST.talkMs - 5);
      expect(call.cost).toBeGreaterThan(0);
      expect(call.costBreakdown?.total).toBe(call.cost);
      expect(call.costs?.map((c) => c.type)).toEqual(['transport', 'transcriber', 'model', 'voice', 'vapi']);
      expect(call.artifact?.transcript).toMatch(/^AI: .+\nUser: .+/);
      expect(call.artifact?.recordingUrl).toMatch(new RegExp(`^https://storage\\.vapi\\.ai/${created.id}-\\d+-.+-mono\\.wav$`));
      expect(call.artifact?.stereoRecordingUrl).toMatch(/-stereo\.wav$/);
      expect(call.artifact?.messages?.map((m) => m.role)).toEqual(['system', 'bot', 'user', 'bot', 'user', 'bot']);
      expect(call.messages).toEqual(call.artifact?.messages);
      expect(call.analysis?.summary).toContain(ANSWERS);
      // Vapi's current Call has these only under `artifact` and `analysis`.
      expect(call).not.toHaveProperty('transcript');
      expect(call).not.toHaveProperty('recordingUrl');
      expect(call).not.toHaveProperty('summary');

      expect(server.calls).toEqual([call]);
      // The call reads as ended before its webhooks have been delivered: wait for the report.
      await waitFor('the end-of-call report', () => announced(created.id).includes('end-of-call-report'));
      expect(announced(created.id)).toEqual(['queued', 'ringing', 'in-progress', 'ended', 'end-of-call-report']);
    });

    it.each([
      [BUSY, 'busy', 'customer-busy', ['queued', 'ringing', 'ended']],
      [NO_ANSWER, 'no-answer', 'customer-did-not-answer', ['queued', 'ringing', 'ended']],
      [FAILS, 'failed', 'twilio-failed-to-connect-call', ['queued', 'ended']],
    ])('%s (%s) ends with %s, never in progress, without content or cost', async (number, _outcome, endedReason, statuses) => {
      const vapi = client();
      const created = await place(number, vapi);
      const call = await ended(vapi, created.id);

      expect(call).toMatchObject({ status: 'ended', endedReason, cost: 0, artifact: { messages: [] }, analysis: {} });
      expect(call.startedAt).toBeUndefined();
      expect(call.endedAt).toEqual(expect.any(String));
      expect(call.artifact?.transcript).toBeUndefined();
      expect(call.artifact?.recordingUrl).toBeUndefined();
      await waitFor('the end-of-call report', () => announced(created.id).includes('end-of-call-report'));
      expect(announced(created.id)).toEqual([...statuses, 'end-of-call-report']);
    });

    it('in manual mode calls wait; advance moves them one status, or through every status up to the one asked for', async () => {
      server.setTimings({ manual: true });
      const vapi = client();
      const answered = await place(ANSWERS, vapi);
      const busy = await place(BUSY, vapi);
      await sleep(FAST.queuedMs + FAST.ringingMs + FAST.talkMs + 50);
      expect((await vapi.calls.get({ id: answered.id })).status).toBe('queued');

      await server.advance(answered.id);
      expect((await vapi.calls.get({ id: answered.id })).status).toBe('ringing');
      expect(announced(answered.id)).toEqual(['queued', 'ringing']);

      await server.advance(answered.id, 'ended');
      const call = await vapi.calls.get({ id: answered.id });
      expect(call).toMatchObject({ status: 'ended', endedReason: 'customer-ended-call' });
      expect(call.artifact?.transcript).toEqual(expect.any(String));
      // advance resolves once its webhooks are delivered.
      expect(announced(answered.id)).toEqual(['queued', 'ringing', 'in-progress', 'ended', 'end-of-call-report']);

      await expect(server.advance(busy.id, 'in-progress')).rejects.toThrow("never becomes 'in-progress'");
      await server.advance(busy.id, 'ended');
      expect((await vapi.calls.get({ id: busy.id })).endedReason).toBe('customer-busy');
      await expect(server.advance(busy.id)).rejects.toThrow('already ended');
      await expect(server.advance('no-such-call')).rejects.toThrow('no call no-such-call');
    });

    it('keeps the outcome and timings a call was created with', async () => {
      server.setTimings({ manual: true });
      const vapi = client();
      const early = await place(ANSWERS, vapi);
      server.setOutcome(ANSWERS, 'busy');
      server.setTimings({ manual: false });
      const late = await place(ANSWERS, vapi);

      expect((await ended(vapi, late.id)).endedReason).toBe('customer-busy');
      expect((await vapi.calls.get({ id: early.id })).status).toBe('queued');
      await server.advance(early.id, 'ended');
      expect((await vapi.calls.get({ id: early.id })).endedReason).toBe('customer-ended-call');
    });
  });

  describe('listing calls', () => {
    it('filters by createdAtGe, assistant and phone number, newest first, up to limit (default 100)', async () => {
      server.setTimings({ manual: true });
      const vapi = client();
      const first = await place(ANSWERS, vapi);
      await sleep(5);
      const second = await place(BUSY, vapi);
      await sleep(5);
      const third = asCall(await vapi.calls.create({ assistantId: 'other-assistant', phoneNumberId: PHONE_NUMBER_ID, customer: { number: ANSWERS } }));

      const ids = (calls: Vapi.Call[]): string[] => calls.map((c) => c.id);
      expect(ids(await vapi.calls.list())).toEqual([third.id, second.id, first.id]);
      expect(ids(await vapi.calls.list({ createdAtGe: second.createdAt }))).toEqual([third.id, second.id]);
      expect(ids(await vapi.calls.list({ createdAtGt: second.createdAt }))).toEqual([third.id]);
      expect(ids(await vapi.calls.list({ createdAtLe: second.createdAt, limit: 1 }))).toEqual([second.id]);
      expect(ids(await vapi.calls.list({ assistantId: ASSISTANT_ID, phoneNumberId: PHONE_NUMBER_ID }))).toEqual([second.id, first.id]);
      expect(ids(await vapi.calls.list({ id: first.id }))).toEqual([first.id]);
      expect(ids(await vapi.calls.list({ limit: 2 }))).toEqual([third.id, second.id]);
      expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/call', query: { limit: '2' }, status: 200 });

      for (let i = 0; i < 100; i++) await place(ANSWERS, vapi);
      expect(await vapi.calls.list()).toHaveLength(100);
      expect(await vapi.calls.list({ limit: 1000 })).toHaveLength(103);
    });

    it('answers 400 for a bad limit or date, as a plain VapiError', async () => {
      const err = await caught(client().calls.list({ limit: 5000, createdAtGe: 'yesterday' }));
      expect(err.constructor).toBe(VapiError);
      expect(err.statusCode).toBe(400);
      expect(err.body).toEqual({ message: ['limit must not be greater than 1000', 'createdAtGe must be a valid ISO 8601 date string'], error: 'Bad Request', statusCode: 400 });
    });
  });

  describe('webhooks (server messages)', () => {
    it('POSTs every status change and then the end-of-call report, in order, with X-Vapi-Secret', async () => {
      const created = await place(ANSWERS);
      await waitFor('the end-of-call report', () => announced(created.id).includes('end-of-call-report'));

      expect(receiver.server.requests).toEqual(Array(5).fill('POST /vapi/webhook'));
      for (const { headers } of receiver.received) {
        expect(headers['x-vapi-secret']).toBe('hook-secret');
        expect(headers['content-type']).toBe('application/json');
      }
      const messages = messagesOf(created.id);
      expect(messages.map((m) => m.type)).toEqual(['status-update', 'status-update', 'status-update', 'status-update', 'end-of-call-report']);
      const timestamps = messages.map((m) => m.timestamp);
      expect([...timestamps].sort((a, b) => a - b)).toEqual(timestamps);
      expect(messages[0]).toMatchObject({ status: 'queued', call: { id: created.id, status: 'queued' }, customer: { number: ANSWERS } });
      expect(messages[0]).not.toHaveProperty('endedReason');
      expect(messages[3]).toMatchObject({ type: 'status-update', status: 'ended', endedReason: 'customer-ended-call', call: { status: 'ended' } });

      const report = messages[4];
      if (report.type !== 'end-of-call-report') throw new Error('expected the end-of-call report last');
      const call = await client().calls.get({ id: created.id });
      expect(report).toMatchObject({
        endedReason: 'customer-ended-call',
        call: { id: created.id, status: 'ended', assistantOverrides: { metadata: { jobCallId: `job-${ANSWERS}` } } },
        startedAt: call.startedAt,
        endedAt: call.endedAt,
        cost: call.cost,
        artifact: { transcript: call.artifact?.transcript, recordingUrl: call.artifact?.recordingUrl },
        analysis: { summary: call.analysis?.summary },
      });
      expect(report.durationSeconds).toBeCloseTo((Date.parse(call.endedAt!) - Date.parse(call.startedAt!)) / 1000, 3);
      expect(report.durationMs).toBe(Date.parse(call.endedAt!) - Date.parse(call.startedAt!));

      expect(server.webhookDeliveries.map((d) => [d.type, d.callStatus, d.status])).toEqual([
        ['status-update', 'queued', 200],
        ['status-update', 'ringing', 200],
        ['status-update', 'in-progress', 200],
        ['status-update', 'ended', 200],
        ['end-of-call-report', undefined, 200],
      ]);
    });

    it("sends a call's messages to its assistantOverrides.server URL with that server's headers, as the voice worker sets them", async () => {
      const own = await startReceiver();
      try {
        const call = asCall(
          await client().calls.create({
            assistantId: ASSISTANT_ID,
            phoneNumberId: PHONE_NUMBER_ID,
            customer: { number: FAILS },
            assistantOverrides: { metadata: { jobCallId: 'j' }, server: { url: own.server.url('/own'), headers: { 'X-Vapi-Secret': 'per-call' } } },
          }),
        );
        await waitFor('the end-of-call report', () => own.received.some((r) => r.body.message.type === 'end-of-call-report'));
        expect(own.received.map((r) => [r.headers['x-vapi-secret'], r.body.message.type])).toEqual([
          ['per-call', 'status-update'],
          ['per-call', 'status-update'],
          ['per-call', 'end-of-call-report'],
        ]);
        expect(messagesOf(call.id)).toEqual([]);
      } finally {
        await own.server.close();
      }
    });

    it('records failed deliveries (an error answer, nobody listening) and goes on; no secret, no header', async () => {
      receiver.answer.status = 500;
      server.setWebhook(receiver.server.url('/vapi/webhook'));
      const first = await place(FAILS);
      await waitFor('three deliveries', () => server.webhookDeliveries.length >= 3);
      expect(server.webhookDeliveries.map((d) => d.status)).toEqual([500, 500, 500]);
      expect(receiver.received.every((r) => r.headers['x-vapi-secret'] === undefined)).toBe(true);

      const gone = await startTestServer((_req, res) => res.end());
      const goneUrl = gone.url('/hook');
      await gone.close();
      server.setWebhook(goneUrl, 'x');
      const second = await place(FAILS);
      await waitFor('three more deliveries', () => server.webhookDeliveries.length >= 6);
      expect(server.webhookDeliveries.slice(3)).toEqual(
        Array(3).fill(expect.objectContaining({ callId: second.id, url: goneUrl, status: 0, error: expect.stringContaining('ECONNREFUSED') })),
      );
      expect((await client().calls.get({ id: first.id })).status).toBe('ended');

      server.setWebhook(null);
      await place(FAILS);
      await sleep(FAST.queuedMs + 50);
      expect(server.webhookDeliveries).toHaveLength(6);
    });
  });

  describe('how the SDK reports errors', () => {
    it('400 from POST /call is a Vapi.BadRequestError with the validation messages; top-level metadata is refused', async () => {
      const vapi = client();
      const body = { assistantId: ASSISTANT_ID, phoneNumberId: PHONE_NUMBER_ID, customer: { number: '4155550100' }, metadata: { jobCallId: 'x' } };
      const err = await caught(vapi.calls.create(body as Vapi.CreateCallDto));
      expect(err).toBeInstanceOf(Vapi.BadRequestError);
      expect(err.statusCode).toBe(400);
      expect(err.body).toEqual({
        message: [
          'property metadata should not exist',
          'customer.number must be a valid phone number in the E.164 format. Hot tip, you may be missing the country code (Eg. US: +1).',
        ],
        error: 'Bad Request',
        statusCode: 400,
      });
      const missing = await caught(vapi.calls.create({ customer: { number: ANSWERS } }));
      expect((missing.body as { message: string[] }).message).toEqual([
        'Need Either `assistantId`, `assistant`, `squadId`, `squad`, `workflowId` Or `workflow`.',
        'Need Either `phoneNumberId` Or `phoneNumber` for an outbound phone call.',
      ]);
      expect(server.calls).toHaveLength(0);
      expect(server.requests.map((r) => r.status)).toEqual([400, 400]);
    });

    it('401 for a wrong key on every endpoint, as a plain VapiError', async () => {
      const wrong = client({ token: 'not-the-key', maxRetries: 0 });
      const requests = [
        () => wrong.calls.create({ assistantId: ASSISTANT_ID, phoneNumberId: PHONE_NUMBER_ID, customer: { number: ANSWERS } }),
        () => wrong.calls.get({ id: 'x' }),
        () => wrong.calls.list(),
      ];
      for (const request of requests) {
        const err = await caught(request());
        expect(err.constructor).toBe(VapiError);
        expect(err.statusCode).toBe(401);
        expect(err.body).toEqual({ message: 'Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.', error: 'Unauthorized', statusCode: 401 });
      }
      expect(server.calls).toHaveLength(0);
    });

    it('404 for an unknown call and for routes the fake does not serve', async () => {
      const vapi = client();
      const unknown = await caught(vapi.calls.get({ id: '00000000-0000-4000-8000-000000000000' }));
      expect(unknown.constructor).toBe(VapiError);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.body).toEqual({ message: 'Call not found', error: 'Not Found', statusCode: 404 });
      const route = await caught(vapi.calls.delete({ id: 'abc' }));
      expect(route.statusCode).toBe(404);
      expect(route.body).toEqual({ message: 'Cannot DELETE /call/abc', error: 'Not Found', statusCode: 404 });
    });

    it('429: a plain VapiError with statusCode 429; Retry-After is readable on rawResponse.headers', async () => {
      server.throttle({ count: 1, retryAfterSeconds: 7, method: 'GET', pathPattern: /^\/call$/ });
      const err = await caught(client().calls.list());
      expect(err.constructor).toBe(VapiError);
      expect(err.statusCode).toBe(429);
      expect(err.body).toEqual({ message: 'ThrottlerException: Too Many Requests', statusCode: 429 });
      expect(err.rawResponse?.status).toBe(429);
      expect(err.rawResponse?.headers.get('retry-after')).toBe('7');
      expect(err.message).toContain('Status code: 429');
      expect(server.requests).toHaveLength(1);
    });

    it('5xx: POST /call 500 is a Vapi.InternalServerError, other statuses and endpoints a plain VapiError', async () => {
      const vapi = client();
      server.failNext({ count: 1, method: 'POST' });
      const internal = await caught(place(ANSWERS, vapi));
      expect(internal).toBeInstanceOf(Vapi.InternalServerError);
      expect(internal.statusCode).toBe(500);
      expect(internal.body).toEqual({ message: 'Internal server error', statusCode: 500 });

      server.failNext({ count: 2, status: 503 });
      const unavailable = await caught(place(ANSWERS, vapi));
      expect(unavailable.constructor).toBe(VapiError);
      expect(unavailable.statusCode).toBe(503);
      expect((await caught(vapi.calls.get({ id: 'x' }))).statusCode).toBe(503);
      expect(server.calls).toHaveLength(0);
    });
  });

  describe("the SDK's own retries", () => {
    it('maxRetries: 0 on the client or on the request gives exactly one request', async () => {
      server.throttle({ count: 2 });
      expect((await caught(client({ maxRetries: 0 }).calls.list())).statusCode).toBe(429);
      expect((await caught(client({}).calls.list({}, { maxRetries: 0 }))).statusCode).toBe(429);
      expect(server.requests.map((r) => r.status)).toEqual([429, 429]);
    });

    it('by default retries a 429 twice (3 requests in all), waiting Retry-After seconds between', async () => {
      server.throttle({ count: 3, retryAfterSeconds: 1 });
      const started = Date.now();
      expect((await caught(client({}).calls.list())).statusCode).toBe(429);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      expect(server.requests.map((r) => r.status)).toEqual([429, 429, 429]);

      server.throttle({ count: 1, retryAfterSeconds: 1 });
      expect(await client({}).calls.list()).toEqual([]);
      expect(server.requests.slice(3).map((r) => r.status)).toEqual([429, 200]);
    });

    it('by default also retries 408 and 5xx — POST /call included — but not 400, 401 or 404', async () => {
      const vapi = client({});
      server.failNext({ count: 1, status: 500, method: 'POST', retryAfterSeconds: 1 });
      const call = await place(ANSWERS, vapi);
      expect(server.requests.map((r) => r.status)).toEqual([500, 201]);
      expect(server.calls.map((c) => c.id)).toEqual([call.id]);

      server.failNext({ count: 1, status: 408, retryAfterSeconds: 1 });
      server.failNext({ count: 1, status: 503, retryAfterSeconds: 1 });
      await vapi.calls.get({ id: call.id });
      expect(server.requests.slice(2).map((r) => r.status)).toEqual([408, 503, 200]);

      const requestsBefore = server.requests.length;
      expect((await caught(vapi.calls.get({ id: 'unknown' }))).statusCode).toBe(404);
      expect((await caught(vapi.calls.create({ customer: { number: ANSWERS } }))).statusCode).toBe(400);
      expect((await caught(client({ token: 'wrong' }).calls.list())).statusCode).toBe(401);
      expect(server.requests.slice(requestsBefore).map((r) => r.status)).toEqual([404, 400, 401]);
    });
  });

  describe('holding an answer', () => {
    it('creates the call but holds the answer until release; a client that gives up never sees it', async () => {
      const held = server.holdNext({ method: 'POST', pathPattern: /^\/call$/ });
      let answered = false;
      const creating = place(ANSWERS).then((call) => {
        answered = true;
        return call;
      });
      await held.reached;
      expect(server.calls).toHaveLength(1);
      expect(server.requests).toEqual([expect.objectContaining({ method: 'POST', path: '/call', status: 201 })]);
      await sleep(50);
      expect(answered).toBe(false);
      held.release();
      expect((await creating).id).toBe(server.calls[0].id);

      // The client dies (here: aborts) between Vapi's work and seeing the answer.
      const second = server.holdNext({ method: 'POST', pathPattern: /^\/call$/ });
      const abort = new AbortController();
      const giving = client().calls.create({ assistantId: ASSISTANT_ID, phoneNumberId: PHONE_NUMBER_ID, customer: { number: BUSY } }, { abortSignal: abort.signal, ...NO_ANSWER_EXPECTED });
      await second.reached;
      abort.abort();
      // Not an AbortError: a VapiError without a status code.
      const aborted = await caught(giving);
      expect(aborted.constructor).toBe(VapiError);
      expect(aborted.statusCode).toBeUndefined();
      expect(aborted.message).toBe('The user aborted a request');
      second.release();
      expect(server.calls).toHaveLength(2);
      const found = await client().calls.list({ createdAtGe: server.calls[1].createdAt });
      expect(found.map((c) => c.customer?.number)).toEqual([BUSY]);
    });
  });

  describe('concurrency limit', () => {
    it("answers 201 with subscriptionLimits; a call beyond the limit is concurrencyBlocked and ends at once, as Vapi documents", async () => {
      server.setTimings({ manual: true });
      server.setConcurrencyLimit(1);
      const vapi = client();
      const first = (await vapi.calls.create({ assistantId: ASSISTANT_ID, phoneNumberId: PHONE_NUMBER_ID, customer: { number: ANSWERS } })) as Vapi.Call & {
        subscriptionLimits?: unknown;
      };
      expect(first.subscriptionLimits).toEqual({ concurrencyBlocked: false, concurrencyLimit: 1, remainingConcurrentCalls: 0 });

      const blocked = (await vapi.calls.create({ assistantId: ASSISTANT_ID, phoneNumberId: PHONE_NUMBER_ID, customer: { number: ANSWERS } })) as Vapi.Call & {
        subscriptionLimits?: unknown;
      };
      expect(blocked.status).toBe('queued');
      expect(blocked.subscriptionLimits).toEqual({ concurrencyBlocked: true, concurrencyLimit: 1, remainingConcurrentCalls: 0 });
      const end = await ended(vapi, blocked.id);
      expect(end).toMatchObject({ endedReason: 'call.start.error-subscription-concurrency-limit-reached', cost: 0 });
      expect(end.startedAt).toBeUndefined();
      await waitFor('its end-of-call report', () => announced(blocked.id).includes('end-of-call-report'));
      expect(announced(blocked.id)).toEqual(['queued', 'ended', 'end-of-call-report']);
      // GET does not carry subscriptionLimits; only the POST answer does.
      expect(end).not.toHaveProperty('subscriptionLimits');

      await server.advance(first.id, 'ended');
      const third = (await vapi.calls.create({ assistantId: ASSISTANT_ID, phoneNumberId: PHONE_NUMBER_ID, customer: { number: ANSWERS } })) as Vapi.Call & {
        subscriptionLimits?: { concurrencyBlocked: boolean };
      };
      expect(third.subscriptionLimits?.concurrencyBlocked).toBe(false);
      server.setConcurrencyLimit(null);
      expect(await place(ANSWERS, vapi)).not.toHaveProperty('subscriptionLimits');
    });
  });

  describe('latency and closing', () => {
    it('delays each answer by latencyMs; past timeoutInSeconds the SDK throws a VapiError, not its VapiTimeoutError', async () => {
      server.setLatencyMs(150);
      const started = Date.now();
      await client().calls.list();
      expect(Date.now() - started).toBeGreaterThanOrEqual(145);

      server.setLatencyMs(400);
      // 2.0.1 aborts fetch with the string reason "timeout", which its AbortError check misses.
      const err = await caught(client().calls.list({}, { timeoutInSeconds: 0.1 }));
      expect(err).not.toBeInstanceOf(VapiTimeoutError);
      expect(err.constructor).toBe(VapiError);
      expect(err.statusCode).toBeUndefined();
      expect(err.message).toBe('"timeout"');
    });

    it('close stops timers and held answers, is idempotent, and nothing moves afterwards', async () => {
      // Still queued when the server closes (2 s is far beyond the few ms that takes), and after.
      server.setTimings({ queuedMs: 2_000 });
      const created = await place(ANSWERS);
      const held = server.holdNext({ method: 'GET', pathPattern: /^\/call$/ });
      const listing = client().calls.list({}, NO_ANSWER_EXPECTED).catch((err: unknown) => err);
      await held.reached;
      await Promise.all([server.close(), server.close()]);
      await listing;
      expect(server.calls.map((c) => [c.id, c.status])).toEqual([[created.id, 'queued']]);
      await sleep(2_500 - (Date.now() - Date.parse(created.createdAt)));
      expect(server.calls[0].status).toBe('queued');
      const refused = await caught(client().calls.list({}, NO_ANSWER_EXPECTED));
      // Its message is "fetch failed" in plain Node, "{}" under Jest (the TypeError comes from another realm).
      expect(refused.constructor).toBe(VapiError);
      expect(refused.statusCode).toBeUndefined();
    });
  });
});
