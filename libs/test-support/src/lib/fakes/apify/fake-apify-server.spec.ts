import { ApifyApiError, ApifyClient, type ApifyClientOptions } from 'apify-client';
import { FAKE_APIFY_NO_LIMIT, leadEnrichmentActor, startFakeApifyServer, type FakeApifyServer } from './fake-apify-server';
import { waitFor } from '../../wait-for';

// Every test drives the fake through the real `apify-client` (2.25.0).

const TOKEN = 'apify_api_fake0123456789';
const ACTOR = 'jane~lead-enricher';

const leads = [
  { id: 'l1', email: 'jane.doe@acme.com', phone: '+44 20 7946 0000' },
  { id: 'l2', company: 'Globex Corporation' },
  { id: 'l3', email: 'someone@unknown-corp.io' },
  { id: 'l4', email: 'error@acme.com' },
  { id: 'l5', email: 'bob@initech.com', company: 'Initech' },
];

async function caught(promise: Promise<unknown>): Promise<ApifyApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApifyApiError) return err;
    throw err;
  }
  throw new Error('expected an ApifyApiError');
}

const gapsMs = (times: readonly number[]): number[] => times.slice(1).map((t, i) => t - times[i]);

/** Resolves once `Date.now()` has reached `at` (a timer alone may wake a little early by that clock). */
async function until(at: number): Promise<void> {
  while (Date.now() < at) await new Promise((r) => setTimeout(r, at - Date.now()));
}

/**
 * A request interceptor that lets one request through at a time, each at least `spacingMs`
 * after the previous one went, by the clock read when it goes: a late timer pushes later
 * requests later and never bunches them (slots booked in advance would all fall due at once).
 */
function spacedBy(spacingMs: number): <T>(config: T) => Promise<T> {
  let line: Promise<void> = Promise.resolve();
  let lastAt = Number.NEGATIVE_INFINITY;
  return <T>(config: T): Promise<T> => {
    const turn = line.then(async () => {
      await until(lastAt + spacingMs);
      lastAt = Date.now();
    });
    line = turn;
    return turn.then(() => config);
  };
}

// Durations here are asserted only from below (a busy machine makes things later, never
// earlier); how promptly things happen is measured by `npm run bench:fakes`.

describe('fake Apify server, through apify-client', () => {
  let server: FakeApifyServer;

  beforeEach(async () => {
    server = await startFakeApifyServer({ token: TOKEN });
    server.addActor(ACTOR, { run: leadEnrichmentActor(), durationMs: 100 });
  });

  afterEach(async () => {
    await server.close();
  });

  const client = (options: ApifyClientOptions = {}): ApifyClient =>
    new ApifyClient({ token: TOKEN, baseUrl: server.baseUrl, maxRetries: 0, minDelayBetweenRetriesMillis: 10, ...options });

  it('starts a run (READY, RUNNING), waits for it, and lists the dataset items', async () => {
    // The run cannot end before the test has seen it RUNNING, however late the test is scheduled.
    let finishRun!: () => void;
    const mayFinish = new Promise<void>((resolve) => (finishRun = resolve));
    const enrich = leadEnrichmentActor();
    server.addActor(ACTOR, { run: async (input) => (await mayFinish, enrich(input)), durationMs: 100 });
    const apify = client();
    const started = await apify.actor(ACTOR).start({ leads });
    expect(started).toMatchObject({ status: 'READY', finishedAt: null, defaultDatasetId: expect.any(String), defaultKeyValueStoreId: expect.any(String) });
    expect(started.startedAt).toBeInstanceOf(Date);
    expect(started.id).toMatch(/^[A-Za-z0-9]{17}$/);
    expect(started.options).toMatchObject({ build: 'latest', timeoutSecs: 3600, memoryMbytes: 1024 });

    await waitFor('the run to leave READY', async () => (await apify.run(started.id).get())?.status !== 'READY');
    expect((await apify.run(started.id).get())?.status).toBe('RUNNING');
    finishRun();

    const finished = await apify.run(started.id).waitForFinish();
    expect(finished).toMatchObject({ id: started.id, status: 'SUCCEEDED', exitCode: 0 });
    expect(finished.finishedAt).toBeInstanceOf(Date);
    expect(finished.finishedAt!.getTime() - finished.startedAt.getTime()).toBeGreaterThanOrEqual(100);
    expect(finished.stats.durationMillis).toBeGreaterThanOrEqual(100);

    const { items, total, offset, count, limit, desc } = await apify.dataset(finished.defaultDatasetId).listItems();
    expect({ total, offset, count, limit, desc }).toEqual({ total: 4, offset: 0, count: 4, limit: FAKE_APIFY_NO_LIMIT, desc: false });
    expect(items).toEqual([
      {
        leadId: 'l1',
        email: 'jane.doe@acme.com',
        fullName: 'Jane Doe',
        jobTitle: expect.any(String),
        company: 'Acme',
        companyDomain: 'acme.com',
        linkedinUrl: expect.stringMatching(/^https:\/\/www\.linkedin\.com\/in\/jane-doe-[0-9a-f]{4}$/),
        phone: '+44 20 7946 0000',
      },
      expect.objectContaining({ leadId: 'l2', company: 'Globex Corporation', companyDomain: 'globexcorporation.com' }),
      // l3 (unknown-corp.io) was not found: no item.
      { leadId: 'l4', error: 'Enrichment provider error for error@acme.com' },
      expect.objectContaining({ leadId: 'l5', email: 'bob@initech.com', company: 'Initech', companyDomain: 'initech.com' }),
    ]);

    expect(server.runs).toEqual([expect.objectContaining({ id: started.id, actorId: ACTOR, input: { leads }, status: 'SUCCEEDED', itemCount: items.length })]);
    expect(server.runsStarted(ACTOR)).toBe(1);
  });

  it('call() starts and waits; with its default log option it also reads the run, the actor and the streamed log', async () => {
    const apify = client();
    const quiet = await apify.actor(ACTOR).call({ leads }, { log: null });
    expect(quiet.status).toBe('SUCCEEDED');
    expect(server.requests.map((r) => `${r.method} ${r.path} ${new URLSearchParams(r.query)} ${r.status}`)).toEqual([
      `POST /v2/actors/${ACTOR}/runs  201`,
      `GET /v2/actor-runs/${quiet.id} waitForFinish=999999 200`,
    ]);

    const printed = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const before = server.requests.length;
    try {
      const run = await apify.actor('jane/lead-enricher').call({ leads });
      expect(run.status).toBe('SUCCEEDED');
      expect(server.requests.slice(before).map((r) => `${r.method} ${r.path} ${new URLSearchParams(r.query)}`)).toEqual([
        `POST /v2/actors/${ACTOR}/runs `,
        `GET /v2/actor-runs/${run.id} `,
        `GET /v2/actors/${run.actId} `,
        `GET /v2/actor-runs/${run.id}/log stream=1&raw=1`,
        `GET /v2/actor-runs/${run.id} waitForFinish=999999`,
      ]);
      const lines = printed.mock.calls.map((c) => String(c[0]));
      expect(lines.some((l) => l.includes('lead-enricher runId:') && l.includes('Run SUCCEEDED'))).toBe(true);
    } finally {
      printed.mockRestore();
    }
  });

  it('reads an input of 1 KiB or more, which the client sends brotli-compressed (Content-Encoding: br)', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ id: `lead-${i}`, email: `person.${i}@example${i}.com` }));
    expect(JSON.stringify({ leads: many }).length).toBeGreaterThan(1024);
    const run = await client().actor(ACTOR).call({ leads: many }, { log: null });
    expect(server.runs[0].input).toEqual({ leads: many });
    expect(run.stats.inputBodyLen).toBe(JSON.stringify({ leads: many }).length);
    expect((await client().dataset(run.defaultDatasetId).listItems()).total).toBe(40);
  });

  it('lists dataset items with offset, limit, desc, clean, fields, and the pagination the client returns', async () => {
    const items = [{ n: 0, '#debug': 'x' }, {}, { n: 2, extra: true }, { n: 3 }, { n: 4 }];
    server.addActor('jane~numbers', { run: () => items, durationMs: 0 });
    const apify = client();
    const run = await apify.actor('jane~numbers').call(undefined, { log: null });
    const dataset = apify.dataset(run.defaultDatasetId);

    expect(await dataset.listItems({ offset: 1, limit: 2 })).toEqual({ items: [{}, { n: 2, extra: true }], total: 5, offset: 1, count: 2, limit: 2, desc: false });
    expect(await dataset.listItems({ desc: true, limit: 2 })).toMatchObject({ items: [{ n: 4 }, { n: 3 }], desc: true });
    // clean = skipHidden + skipEmpty; pagination counts stored items, so the empty one still uses a slot.
    expect(await dataset.listItems({ clean: true, limit: 3 })).toMatchObject({ items: [{ n: 0 }, { n: 2, extra: true }], count: 2, limit: 3, total: 5 });
    expect((await dataset.listItems({ fields: ['n'], offset: 2 })).items).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
    expect((await apify.run(run.id).dataset().listItems({ omit: ['n'], limit: 1, offset: 2 })).items).toEqual([{ extra: true }]);
    expect(await dataset.get()).toMatchObject({ id: run.defaultDatasetId, itemCount: 5, actRunId: run.id });

    // The async iterator pages with `chunkSize`: one request per chunk (the client also sends
    // `chunkSize` itself as a query parameter; the API ignores it).
    const before = server.requests.length;
    const seen: unknown[] = [];
    for await (const item of dataset.listItems({ chunkSize: 2 })) seen.push(item);
    expect(seen).toEqual(items);
    expect(server.requests.slice(before).map((r) => r.query)).toEqual([
      { chunkSize: '2', limit: '2' },
      { chunkSize: '2', limit: '2', offset: '2' },
      { chunkSize: '2', limit: '1', offset: '4' },
    ]);

    const err = await caught(apify.dataset('nope').listItems());
    expect(err).toMatchObject({ statusCode: 404, type: 'record-not-found', message: 'Dataset was not found' });
    expect(await apify.dataset('nope').get()).toBeUndefined();
  });

  it('aborts a run: ABORTED at once, keeping the items pushed so far; gracefully through ABORTING', async () => {
    // 100 items over 10 s, one every 100 ms: aborted once a few are in, long before the end.
    server.addActor('jane~slow', { run: () => Array.from({ length: 100 }, (_, n) => ({ n })), durationMs: 10_000 });
    const apify = client();
    const run = await apify.actor('jane~slow').start();
    await waitFor('three items pushed', async () => (await apify.dataset(run.defaultDatasetId).listItems()).count >= 3, { timeoutMs: 9000 });
    const aborted = await apify.run(run.id).abort();
    expect(aborted).toMatchObject({ status: 'ABORTED', statusMessage: 'Actor was aborted', exitCode: null });
    expect(aborted.finishedAt).toBeInstanceOf(Date);
    const { items } = await apify.dataset(run.defaultDatasetId).listItems();
    expect(items.length).toBeGreaterThanOrEqual(3);
    // No more than had been pushed when the abort came (one per 100 ms since the start).
    expect(items.length).toBeLessThanOrEqual(Math.floor((aborted.finishedAt!.getTime() - aborted.startedAt.getTime()) / 100));
    expect(items.length).toBeLessThan(100);
    expect((await apify.run(run.id).waitForFinish()).status).toBe('ABORTED');
    // Aborting a finished run does nothing, as Apify documents.
    expect((await apify.run(run.id).abort()).status).toBe('ABORTED');

    const graceful = await apify.actor('jane~slow').start();
    expect((await apify.run(graceful.id).abort({ gracefully: true })).status).toBe('ABORTING');
    expect((await apify.run(graceful.id).waitForFinish()).status).toBe('ABORTED');
    expect(server.abortedRuns).toBe(2);
    expect(server.runs.map((r) => r.status)).toEqual(['ABORTED', 'ABORTED']);
    expect(server.requests.find((r) => r.path.endsWith('/abort') && r.query['gracefully'] === '1')).toBeDefined();
  });

  it('ends a run FAILED (fail() or a throwing run) or TIMED-OUT (timeout query); call() resolves with it, it does not throw', async () => {
    server.addActor('jane~picky', { run: () => [{ ok: true }], fail: (input) => ((input as { bad?: boolean })?.bad ? 'Input was bad' : null) });
    const apify = client();
    const failed = await apify.actor('jane~picky').call({ bad: true }, { log: null });
    expect(failed).toMatchObject({ status: 'FAILED', statusMessage: 'Input was bad', exitCode: 1 });
    expect((await apify.dataset(failed.defaultDatasetId).listItems()).items).toEqual([]);
    expect((await apify.actor('jane~picky').call({ bad: false }, { log: null })).status).toBe('SUCCEEDED');

    const thrown = await apify.actor(ACTOR).call({ notLeads: true }, { log: null });
    expect(thrown).toMatchObject({ status: 'FAILED', statusMessage: 'Input must be an object with a "leads" array' });

    server.addActor('jane~sleepy', { run: () => [{ n: 1 }, { n: 2 }], durationMs: 5000 });
    const timedOut = await apify.actor('jane~sleepy').call({}, { timeout: 0.3, memory: 256, log: null });
    expect(timedOut).toMatchObject({ status: 'TIMED-OUT', statusMessage: 'Actor timed out after 0.3 s', options: { timeoutSecs: 0.3, memoryMbytes: 256 } });
    expect(timedOut.finishedAt!.getTime() - timedOut.startedAt.getTime()).toBeGreaterThanOrEqual(290);
    expect(server.runs.find((r) => r.actorId === 'jane~sleepy')?.status).toBe('TIMED-OUT');
    expect(server.requests.find((r) => r.method === 'POST' && r.path === '/v2/actors/jane~sleepy/runs')?.query).toEqual({ timeout: '0.3', memory: '256' });
  });

  it('answers auth errors (401, never retried), accepts ?token=, and 404s unknown actors, runs and paths', async () => {
    const noToken = await caught(new ApifyClient({ baseUrl: server.baseUrl, minDelayBetweenRetriesMillis: 1 }).actor(ACTOR).start({ leads }));
    expect(noToken).toMatchObject({ statusCode: 401, type: 'token-not-provided', message: 'Authentication token was not provided', attempt: 1 });
    const badToken = await caught(client({ token: 'wrong', maxRetries: 8 }).actor(ACTOR).start({ leads }));
    expect(badToken).toMatchObject({ statusCode: 401, type: 'token-not-valid', message: 'Authentication token is not valid.', attempt: 1 });
    expect(server.requests).toHaveLength(2);
    expect(server.runsStarted(ACTOR)).toBe(0);

    const viaQuery = await fetch(`${server.origin}/v2/acts/${ACTOR}/runs?token=${TOKEN}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ leads }) });
    expect(viaQuery.status).toBe(201);
    expect(viaQuery.headers.get('location')).toMatch(new RegExp(`^${server.origin}/v2/actors/[A-Za-z0-9]{17}/runs/[A-Za-z0-9]{17}$`));
    expect(((await viaQuery.json()) as { data: { status: string } }).data.status).toBe('READY');

    const apify = client();
    expect(await caught(apify.actor('jane~nope').start())).toMatchObject({ statusCode: 404, type: 'actor-not-found', message: 'Actor was not found' });
    expect(await apify.run('nope').get()).toBeUndefined();
    expect(await caught(apify.run('nope').abort())).toMatchObject({ statusCode: 404, type: 'record-not-found', message: 'Actor run was not found' });
    const unknownPath = await fetch(`${server.origin}/v2/nothing-here`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(unknownPath.status).toBe(404);
    expect(await unknownPath.json()).toEqual({ error: { type: 'page-not-found', message: expect.stringContaining('no API endpoint') } });
    const wrongMethod = await fetch(`${server.origin}/v2/actor-runs/x`, { method: 'DELETE', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(wrongMethod.status).toBe(405);
  });

  describe('(1) retries: how many, how long apart, Retry-After', () => {
    it('defaults to maxRetries 8 and minDelayBetweenRetriesMillis 500: retries of a 500 then a 429 come 500-1000 ms, then 1000-2000 ms later', async () => {
      const apify = new ApifyClient({ token: TOKEN, baseUrl: server.baseUrl });
      expect(apify.httpClient).toMatchObject({ maxRetries: 8, minDelayBetweenRetriesMillis: 500, timeoutMillis: 360_000 });
      server.failNext({ count: 1, status: 500 });
      server.throttle({ count: 1 });
      await apify.actor(ACTOR).start({ leads });
      const [first, second, third] = server.requests;
      expect([first.status, second.status, third.status]).toEqual([500, 429, 201]);
      // Upper ends (1000 and 2000 ms) are measured by `npm run bench:fakes`.
      const [firstGap, secondGap] = gapsMs(server.requests.map((r) => r.at));
      expect(firstGap).toBeGreaterThanOrEqual(498);
      expect(secondGap).toBeGreaterThanOrEqual(998);
      expect(server.runsStarted(ACTOR)).toBe(1);
    });

    it('retries a 500 eight times (9 attempts) with exponential backoff: gap i in [min*2^i, 2*min*2^i]', async () => {
      server.failNext({ count: 20, status: 500 });
      const err = await caught(client({ maxRetries: 8, minDelayBetweenRetriesMillis: 10 }).actor(ACTOR).start({ leads }));
      expect(err).toMatchObject({ statusCode: 500, type: 'internal-server-error', attempt: 9 });
      expect(server.requests).toHaveLength(9);
      gapsMs(server.requests.map((r) => r.at)).forEach((gap, i) => {
        expect(gap).toBeGreaterThanOrEqual(10 * 2 ** i - 2);
      });
    });

    it('retries a 429 the same eight times, counting each in client.stats.rateLimitErrors', async () => {
      server.throttle({ count: 20 });
      const apify = client({ maxRetries: 8, minDelayBetweenRetriesMillis: 1 });
      const err = await caught(apify.run('anything').get());
      expect(err).toMatchObject({ statusCode: 429, type: 'rate-limit-exceeded', attempt: 9 });
      expect(server.requests).toHaveLength(9);
      expect(server.rateLimited).toBe(9);
      expect(apify.stats.rateLimitErrors).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    });

    it('ignores Retry-After: with Retry-After: 30 the retry still comes after minDelay..2*minDelay', async () => {
      server.throttle({ count: 1, retryAfterSeconds: 30 });
      const started = Date.now();
      await client({ maxRetries: 1, minDelayBetweenRetriesMillis: 10 }).actor(ACTOR).start({ leads });
      // Honouring it would take 30 s; half of that is a ceiling no busy machine reaches for a 20 ms wait.
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(server.requests.map((r) => r.status)).toEqual([429, 201]);
    });

    it('does not retry other 4xx (400, 402, 404)', async () => {
      const apify = client({ maxRetries: 8, minDelayBetweenRetriesMillis: 1 });
      for (const status of [400, 402, 404]) {
        server.failNext({ count: 1, status });
        expect((await caught(apify.actor(ACTOR).start({ leads }))).attempt).toBe(1);
      }
      expect(server.requests).toHaveLength(3);
    });
  });

  describe('(2) requestInterceptors see every attempt', () => {
    it('run once per HTTP attempt, retries included, before the client serialises the body', async () => {
      const seen: Array<{ method?: string; url?: string; data: unknown; auth: unknown }> = [];
      const apify = client({
        maxRetries: 3,
        requestInterceptors: [
          (config) => {
            seen.push({ method: config.method, url: config.url, data: config.data, auth: config.headers?.['Authorization'] });
            return config;
          },
        ],
      });
      server.failNext({ count: 1, status: 503 });
      server.throttle({ count: 1 });
      await apify.actor(ACTOR).start({ leads });
      expect(server.requests.map((r) => r.status)).toEqual([503, 429, 201]);
      expect(seen).toHaveLength(3);
      expect(seen[0]).toEqual({ method: 'post', url: `${server.baseUrl}/v2/actors/${ACTOR}/runs`, data: { leads }, auth: `Bearer ${TOKEN}` });
    });

    it('can hold a request (an async interceptor), so a limiter there keeps a client under the rate limit', async () => {
      await server.close();
      server = await startFakeApifyServer({ token: TOKEN, rateLimitPerSecond: 5 });
      server.addActor(ACTOR, { run: leadEnrichmentActor() });
      // 5 per second is one every 200 ms; 300 ms apart leaves 500 ms over 5 requests for the
      // client's own interceptors (serialising, compressing) and the socket after this one.
      const apify = client({ maxRetries: 0, requestInterceptors: [spacedBy(300)] });
      const runs = await Promise.all(Array.from({ length: 8 }, () => apify.actor(ACTOR).start({ leads })));
      expect(runs).toHaveLength(8);
      expect(server.rateLimited).toBe(0);

      // The wait spent in an interceptor is not part of the request timeout (axios starts its timer later).
      const slow = client({ timeoutSecs: 1, requestInterceptors: [async (config) => (await new Promise((r) => setTimeout(r, 1500)), config)] });
      await expect(slow.run(runs[0].id).get()).resolves.toMatchObject({ id: runs[0].id });
    });
  });

  describe('(3) start() (POST .../runs) is retried: safe before the server acts, a second paid run after', () => {
    it('a 5xx or 429 answered before processing is retried and starts one run', async () => {
      server.failNext({ count: 1, status: 502, method: 'POST', pathPattern: /\/runs$/ });
      server.throttle({ count: 1 });
      const run = await client({ maxRetries: 2 }).actor(ACTOR).start({ leads });
      expect(server.requests.map((r) => r.status)).toEqual([502, 429, 201]);
      expect(server.runs.map((r) => r.id)).toEqual([run.id]);
    });

    it('a connection cut after the run started is retried: two runs', async () => {
      const held = server.holdNext({ method: 'POST', pathPattern: /\/runs$/ });
      const starting = client({ maxRetries: 2 }).actor(ACTOR).start({ leads });
      await held.reached;
      expect(server.runsStarted(ACTOR)).toBe(1);
      held.cut();
      const run = await starting;
      expect(server.runsStarted(ACTOR)).toBe(2);
      expect(server.runs[1].id).toBe(run.id);
      expect(server.requests.map((r) => r.status)).toEqual([0, 201]);
    });

    it('a timeout (timeoutSecs) after the run started is retried: two runs; the late answer goes nowhere', async () => {
      const held = server.holdNext({ method: 'POST', pathPattern: /\/runs$/ });
      const run = await client({ maxRetries: 2, timeoutSecs: 0.3 }).actor(ACTOR).start({ leads });
      await held.reached;
      held.release();
      expect(server.runsStarted(ACTOR)).toBe(2);
      expect(server.runs.map((r) => r.id)).toEqual([expect.any(String), run.id]);
    });

    it('holdNext lets a test stop between the run starting and the client hearing of it', async () => {
      const held = server.holdNext({ method: 'post', pathPattern: /\/runs$/ });
      let answered = false;
      const starting = client().actor(ACTOR).start({ leads }).then((run) => ((answered = true), run));
      await held.reached;
      expect(server.runs).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 50));
      expect(answered).toBe(false);
      held.release();
      expect((await starting).id).toBe(server.runs[0].id);
    });
  });

  describe('(4) waitForFinish long-polls with ?waitForFinish=', () => {
    it('asks for 999999 s (the server caps at 60) and takes one request for a run under the cap', async () => {
      const apify = client();
      const run = await apify.actor(ACTOR).start({ leads });
      const before = server.requests.length;
      expect((await apify.run(run.id).waitForFinish()).status).toBe('SUCCEEDED');
      expect(server.requests.slice(before).map((r) => r.query)).toEqual([{ waitForFinish: '999999' }]);
    });

    it('re-polls each time the server cap elapses (cap 1 s, 2.5 s run: 3 requests)', async () => {
      await server.close();
      server = await startFakeApifyServer({ token: TOKEN, maxWaitForFinishSecs: 1 });
      server.addActor(ACTOR, { run: leadEnrichmentActor(), durationMs: 2500 });
      const apify = client();
      const run = await apify.actor(ACTOR).start({ leads });
      const before = server.requests.length;
      expect((await apify.run(run.id).waitForFinish()).status).toBe('SUCCEEDED');
      const polls = server.requests.slice(before);
      expect(polls.map((r) => r.query['waitForFinish'])).toEqual(['999999', '999998', '999997']);
    });

    it('with waitSecs returns the still-RUNNING run when time is up', async () => {
      server.addActor('jane~slow', { run: () => [], durationMs: 5000 });
      const apify = client();
      const run = await apify.actor('jane~slow').start();
      const before = server.requests.length;
      const waited = await apify.run(run.id).waitForFinish({ waitSecs: 1 });
      expect(waited.status).toBe('RUNNING');
      expect(server.requests.slice(before).map((r) => r.query)).toEqual([{ waitForFinish: '1' }]);
    });

    it('start({ waitForFinish }) makes the POST itself wait', async () => {
      const run = await client().actor(ACTOR).start({ leads }, { waitForFinish: 10 });
      expect(run.status).toBe('SUCCEEDED');
      expect(server.requests).toHaveLength(1);
    });

    it('polls an unknown run every 250 ms (404 is "not yet") until waitSecs, then throws a plain Error', async () => {
      const started = Date.now();
      await expect(client().run('nope').waitForFinish({ waitSecs: 1 })).rejects.toThrow('Waiting for run to finish failed. Cannot fetch actor run details from the server.');
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      // One GET every 250 ms (+ its round trip) for a second: 4, or 5 when the round trips are
      // quick; fewer when the machine is busy, never more.
      expect(server.requests.length).toBeGreaterThanOrEqual(1);
      expect(server.requests.length).toBeLessThanOrEqual(5);
      expect(server.requests.every((r) => r.status === 404 && r.query['waitForFinish'] !== undefined)).toBe(true);
    });
  });

  it('(5) throws ApifyApiError with statusCode, type, message, attempt, httpMethod, path, clientMethod', async () => {
    const err = await caught(client().actor('jane/nope').start({ a: 1 }));
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ApifyApiError');
    expect({ ...err, message: err.message }).toEqual({
      name: 'ApifyApiError',
      message: 'Actor was not found',
      statusCode: 404,
      type: 'actor-not-found',
      attempt: 1,
      httpMethod: 'post',
      path: '/v2/actors/jane~nope/runs',
      clientMethod: 'ActorClient.start',
      originalStack: expect.any(String),
      data: undefined,
    });
  });

  describe('rate limit (rateLimitPerSecond: 10, sliding 1 s window)', () => {
    beforeEach(async () => {
      await server.close();
      server = await startFakeApifyServer({ token: TOKEN, rateLimitPerSecond: 10 });
      server.addActor(ACTOR, { run: leadEnrichmentActor() });
    });

    it('answers 25 rapid requests with 10 successes and 15 429s (Retry-After: 1, X-RateLimit-Limit: 10)', async () => {
      const apify = client();
      const results = await Promise.allSettled(Array.from({ length: 25 }, () => apify.run('nope').get()));
      const refused = results.filter((r) => r.status === 'rejected');
      expect(refused).toHaveLength(15);
      for (const r of refused) {
        expect((r as PromiseRejectedResult).reason).toMatchObject({ statusCode: 429, type: 'rate-limit-exceeded', message: 'You have exceeded the rate limit of 10 requests per second' });
      }
      expect(server.rateLimited).toBe(15);
      const raw = await fetch(`${server.origin}/v2/actor-runs/x`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(raw.status).toBe(429);
      expect([raw.headers.get('retry-after'), raw.headers.get('x-ratelimit-limit')]).toEqual(['1', '10']);
    });

    it('lets 25 requests spaced at 10 per second through', async () => {
      const apify = client();
      for (let i = 0; i < 25; i++) {
        // Each one 100 ms after the server counted the one before, by the server's clock: any
        // delay here only spaces them further, so no 11 can fall in one window.
        await until((server.requests.at(-1)?.at ?? 0) + 100);
        await apify.run('nope').get();
      }
      expect(server.rateLimited).toBe(0);
      expect(server.requests).toHaveLength(25);
      expect(Math.min(...gapsMs(server.requests.map((r) => r.at)))).toBeGreaterThanOrEqual(100);
    });
  });

  it('records every request (method, path, query, status, arrival) and delays answers by setLatencyMs', async () => {
    server.setLatencyMs(150);
    const started = Date.now();
    await client().run('nope').get();
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    expect(server.requests).toEqual([{ method: 'GET', path: '/v2/actor-runs/nope', query: {}, status: 404, at: expect.any(Number) }]);
    expect(server.requests[0].at).toBeGreaterThanOrEqual(started);
  });

  it('close() is idempotent and cuts a pending long-poll', async () => {
    server.addActor('jane~slow', { run: () => [], durationMs: 10_000 });
    const apify = client();
    const run = await apify.actor('jane~slow').start();
    const waiting = apify.run(run.id).waitForFinish();
    await waitFor('the long-poll to arrive', () => server.requests.some((r) => r.query['waitForFinish'] !== undefined));
    await Promise.all([server.close(), server.close()]);
    await expect(waiting).rejects.toThrow();
    // Cut, not answered: the 10 s run had not finished.
    expect(server.runs[0]?.status).toBe('RUNNING');
  });
});

describe('leadEnrichmentActor', () => {
  it('is deterministic, reports input through onInput, and takes job titles', () => {
    const inputs: unknown[] = [];
    const run = leadEnrichmentActor({ jobTitles: ['Buyer'], onInput: (input) => inputs.push(input) });
    expect(run({ leads })).toEqual(run({ leads }));
    expect(inputs).toEqual([{ leads }, { leads }]);
    const [found] = run({ leads: [{ id: 'x', company: 'Unknown Ltd' }, { id: 'y', email: 'pat@hooli.io' }, { id: 'z' }] });
    expect(found).toMatchObject({ leadId: 'y', email: 'pat@hooli.io', jobTitle: 'Buyer', company: 'Hooli', companyDomain: 'hooli.io' });
    expect(found).not.toHaveProperty('phone');
    expect(() => run({ leads: [{ email: 'a@b.c' }] })).toThrow('Every lead needs a string "id"');
  });
});
