import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Job } from 'bullmq';
import type { JobProducer, JsonObject } from '@jobs/queue-contracts';
import { createLogger } from '@jobs/worker-kit';
import { startTestServer, type TestServer } from '@jobs/test-support';
import { evaluateExpression } from '../../engine/evaluate';
import type { StepOfKind, StepResult, StepRunInput, StepScope } from '../../engine/step-kind';
import { createHttpRequestStep, type HttpRequestStepDeps } from './http-request-step';

type HttpRequestStep = StepOfKind<'http_request'>;

const RUN_ID = 'run_0123456789abcdef0123456789abcdef';
const NOW = Date.parse('2026-11-30T12:00:00Z');

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('http_request step against real loopback servers', () => {
  let server: TestServer;
  let seen: Seen[];
  let answer: (req: IncomingMessage, res: ServerResponse) => void;

  beforeEach(async () => {
    seen = [];
    answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    server = await startTestServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        answer(req, res);
      });
    });
  });
  afterEach(() => server.close());

  /** Runs one attempt of `step` as the engine would, over a small scope. */
  function run(step: HttpRequestStep, deps: Partial<HttpRequestStepDeps> = {}, over: Partial<StepRunInput<HttpRequestStep>> = {}): Promise<StepResult> {
    const scope: StepScope = {
      context: { leadId: 'lead-7', company: 'Acme' } as JsonObject,
      steps: { enrich: { score: 42 } },
      run: { runId: RUN_ID, workflowId: 'wf-1', triggerId: 'tr-1', userId: 'user-1' },
    };
    const kind = createHttpRequestStep({ allowPrivateNetworks: true, ...deps });
    return kind.run({
      step,
      runId: RUN_ID,
      userId: 'user-1',
      scope,
      attempt: 1,
      visit: 1,
      state: undefined,
      job: {} as Job,
      token: 'token',
      producer: {} as JobProducer,
      evaluate: (expression: string, field = 'expression') => evaluateExpression(expression, scope, step.id, field),
      log: createLogger({ level: 'silent' }),
      signal: new AbortController().signal,
      now: NOW,
      ...over,
    });
  }

  const step = (over: Partial<HttpRequestStep> = {}): HttpRequestStep => ({ id: 'hook', kind: 'http_request', method: 'POST', url: server.url('/hook'), ...over });

  it('POSTs the body expression as JSON with an Idempotency-Key and returns status, selected headers and the parsed body', async () => {
    answer = (_req, res) => res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'x-secret': 's', location: '/leads/9' }).end('{"id":9}');
    const result = await run(step({ headers: { 'X-Crm-Source': 'workflow' }, body: '{ "lead": context.leadId, "score": steps.enrich.score }' }));
    expect(result).toEqual({
      type: 'completed',
      output: { status: 201, headers: { 'content-type': 'application/json; charset=utf-8', location: '/leads/9' }, body: { id: 9 } },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/hook' });
    expect(JSON.parse(seen[0]!.body)).toEqual({ lead: 'lead-7', score: 42 });
    expect(seen[0]!.headers).toMatchObject({
      'idempotency-key': `${RUN_ID}:hook`,
      'content-type': 'application/json',
      'x-crm-source': 'workflow',
      'user-agent': 'jobs-workflow-worker',
    });
  });

  it('sends the same Idempotency-Key on every attempt', async () => {
    await run(step());
    await run(step(), {}, { attempt: 2 });
    expect(seen.map((s) => s.headers['idempotency-key'])).toEqual([`${RUN_ID}:hook`, `${RUN_ID}:hook`]);
  });

  it("gives a loop's later visit its own Idempotency-Key (new work, not a repeat)", async () => {
    await run(step());
    await run(step(), {}, { visit: 2 });
    expect(seen.map((s) => s.headers['idempotency-key'])).toEqual([`${RUN_ID}:hook`, `${RUN_ID}:hook:2`]);
  });

  it('evaluates a url expression and keeps a content-type the step sets', async () => {
    const port = new URL(server.origin).port;
    answer = (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('stored');
    const result = await run(
      step({ method: 'PUT', url: `"http://127.0.0.1:${port}/leads/" & context.leadId`, headers: { 'Content-Type': 'application/vnd.crm+json' }, body: 'context' }),
    );
    expect(result).toEqual({ type: 'completed', output: { status: 200, headers: { 'content-type': 'text/plain' }, body: 'stored' } });
    expect(seen[0]).toMatchObject({ method: 'PUT', url: '/leads/lead-7' });
    expect(seen[0]!.headers['content-type']).toBe('application/vnd.crm+json');
  });

  it('fails for good when the url expression gives no string', async () => {
    const result = await run(step({ url: 'context.missing' }));
    expect(result).toMatchObject({ type: 'failed', retryable: false, error: expect.stringMatching(/url: the expression gave null, not a URL string/) });
    expect(seen).toEqual([]);
  });

  it('follows a redirect, and completes with a 3xx it does not follow (its location in the output)', async () => {
    answer = (req, res) => {
      if (req.url === '/hook') res.writeHead(307, { location: '/hook2' }).end();
      else res.writeHead(300, { location: '/choices' }).end();
    };
    const result = await run(step({ method: 'GET' }));
    expect(result).toEqual({ type: 'completed', output: { status: 300, headers: { location: '/choices' }, body: null } });
    expect(seen.map((s) => s.url)).toEqual(['/hook', '/hook2']);
  });

  it('fails retryably after timeoutMs when the server does not answer', async () => {
    answer = () => undefined;
    const result = await run(step({ timeoutMs: 300 }));
    expect(result).toMatchObject({ type: 'failed', retryable: true, error: expect.stringMatching(/POST http:\/\/127\.0\.0\.1:\d+\/hook: request timed out after 300 ms/) });
  });

  it('fails for good when the response is larger than maxResponseBytes, naming the cap', async () => {
    answer = (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(5000));
    const result = await run(step({ maxResponseBytes: 1000 }));
    expect(result).toMatchObject({ type: 'failed', retryable: false, error: expect.stringMatching(/maxResponseBytes \(1000 bytes\)/) });
  });

  it('fails retryably on a 500, with the status and the start of the body in the error', async () => {
    answer = (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('database\nis down');
    const result = await run(step());
    expect(result).toEqual({ type: 'failed', retryable: true, error: expect.stringMatching(/POST http:\/\/127\.0\.0\.1:\d+\/hook answered HTTP 500: database is down$/) });
  });

  it('fails retryably on a 429 with retryAfterMs from Retry-After (seconds or an HTTP date)', async () => {
    answer = (_req, res) => res.writeHead(429, { 'retry-after': '7' }).end();
    expect(await run(step())).toMatchObject({ type: 'failed', retryable: true, retryAfterMs: 7000 });
    answer = (_req, res) => res.writeHead(429, { 'retry-after': new Date(NOW + 90_000).toUTCString() }).end();
    expect(await run(step())).toMatchObject({ type: 'failed', retryable: true, retryAfterMs: 90_000 });
    // An absurd wait is cut to the engine's longest backoff (1 h).
    answer = (_req, res) => res.writeHead(429, { 'retry-after': '86400' }).end();
    expect(await run(step())).toMatchObject({ retryAfterMs: 3_600_000 });
  });

  it('fails for good on other 4xx', async () => {
    answer = (_req, res) => res.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"email missing"}');
    const result = await run(step());
    expect(result).toEqual({ type: 'failed', retryable: false, error: expect.stringMatching(/answered HTTP 422: \{"error":"email missing"\}/) });
  });

  it('refuses a loopback address when private networks are not allowed, naming the setting, before any request', async () => {
    const result = await run(step(), { allowPrivateNetworks: false });
    expect(result).toMatchObject({
      type: 'failed',
      retryable: false,
      error: expect.stringMatching(/Refused to connect to 127\.0\.0\.1.*loopback.*WORKFLOW_HTTP_ALLOW_PRIVATE_NETWORKS=true/),
    });
    expect(server.requests).toEqual([]);
  });

  it('fails retryably when nothing listens (connection refused)', async () => {
    const closed = server.url('/hook');
    await server.close();
    const result = await run(step({ url: closed }));
    expect(result).toMatchObject({ type: 'failed', retryable: true, error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('throws the signal reason when the attempt is aborted (step timeout or shutdown)', async () => {
    answer = () => undefined;
    const controller = new AbortController();
    const pending = run(step(), {}, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('worker shutting down')), 50);
    await expect(pending).rejects.toThrow('worker shutting down');
  });
});
