// A default import: the module object itself, which the http instrumentation patches (a
// namespace import is compiled to a copy taken before tracing started).
import http from 'node:http';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ioRedisOptions, JOB_CONTRACTS, JobProducer, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, jsonLineSink, startTestServer, testRedisUrl, uniquePrefix, waitFor, type TestServer } from '@jobs/test-support';
import { createLogger } from '../create-logger';
import { createQueueWorker, type QueueWorker } from '../create-queue-worker';
import { registerSecrets } from '../redact-secrets';
import { loadWorkerConfig } from '../worker-config';
import { startTracing, type Tracing } from './start-tracing';

// A web request's trace followed through Redis into a kit worker and out to a provider: the
// producer stores the trace context in the job, the worker's `process` span continues it, the
// handler's fetch and node:http calls are its children and its log lines carry its ids.

const RESULT = [{ status: 'completed', stepsCompleted: 1 }, { runId: 'trace-test', status: 'completed', steps: [] }].find(
  (candidate) => JOB_CONTRACTS.WORKFLOW_EXECUTION.result.safeParse(candidate).success,
);
const TOKEN = 'query-token-canary-7f3a';
const AUTH = 'Bearer header-canary-91c2';

/** GET `url` with node:http, resolving with the body. */
function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers: { authorization: AUTH } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += String(d)));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('trace propagation producer → worker → provider HTTP', () => {
  const url = testRedisUrl();
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  let prefix: string;
  let server: TestServer;
  let producer: JobProducer | undefined;
  let worker: QueueWorker | undefined;
  let tracing: Tracing | undefined;
  let raw: Queue | undefined;

  beforeEach(async () => {
    prefix = uniquePrefix('trace');
    server = await startTestServer((_req, res) => res.end('ok'));
  });

  afterEach(async () => {
    await worker?.close(1000);
    await producer?.close();
    await raw?.close();
    await tracing?.shutdown();
    await server.close();
    await deletePrefix(url, prefix);
    worker = producer = tracing = raw = undefined;
  });

  /** A kit worker of the `workflow` queue whose handler logs, fetches and calls node:http. */
  const startWorker = (log: ReturnType<typeof createLogger>, telemetry?: Tracing['telemetry']) => {
    const config = loadWorkerConfig({ concurrency: 1, maxJobsPerSecond: 0, healthPort: 0 }, { REDIS_URL: url, BULLMQ_PREFIX: prefix });
    worker = createQueueWorker({
      queue: 'workflow',
      config,
      log,
      telemetry,
      handlers: {
        WORKFLOW_EXECUTION: async ({ log: jobLog }) => {
          jobLog.info('calling the provider');
          await (await fetch(server.url(`/fetch?access_token=${TOKEN}&page=2`), { headers: { authorization: AUTH } })).text();
          await httpGet(server.url(`/http?token=${TOKEN}`));
          jobLog.info('provider answered');
          return RESULT as never;
        },
      },
    });
    return worker;
  };

  const data = { userId: 'u', workflowId: 'wf-trace', triggerId: 't', context: {} };

  it('carries the web request trace into the job, its process span, its HTTP calls and its log lines', async () => {
    registerSecrets([TOKEN]);
    const exporter = new InMemorySpanExporter();
    const sink = jsonLineSink();
    const log = createLogger({ level: 'info', destination: sink.destination });
    tracing = startTracing({
      config: loadWorkerConfig({ concurrency: 1, maxJobsPerSecond: 0, healthPort: 0 }, {}).tracing,
      serviceName: 'trace-test',
      log,
      flushTimeoutMs: 5000,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    // The producer's default: propagation on, through the provider registered above.
    producer = new JobProducer({ redis, prefix });
    const web = trace.getTracer('web');
    const { added, webSpan } = await web.startActiveSpan('POST /api/leads', async (span) => {
      const job = await producer!.add('WORKFLOW_EXECUTION', data);
      span.end();
      return { added: job, webSpan: span };
    });
    const traceId = webSpan.spanContext().traceId;

    // The context travels in the job, as W3C traceparent of the same trace.
    raw = new Queue('workflow', { connection: ioRedisOptions(redis, 'producer'), prefix });
    const stored = await Job.fromId(raw, added.id!);
    expect(JSON.parse(stored!.opts.telemetry!.metadata!)).toEqual({ traceparent: expect.stringContaining(traceId) });

    startWorker(log, tracing.telemetry);
    const spans = () => exporter.getFinishedSpans();
    const processSpan = await waitFor('the process span', () => spans().find((s) => s.name === 'process workflow'), { timeoutMs: 30_000 });
    const byId = new Map(spans().map((s) => [s.spanContext().spanId, s]));
    const producerSpan = spans().find((s) => s.name === 'add workflow.WORKFLOW_EXECUTION')!;

    expect(producerSpan.kind).toBe(SpanKind.PRODUCER);
    expect(producerSpan.spanContext().traceId).toBe(traceId);
    expect(producerSpan.parentSpanContext?.spanId).toBe(webSpan.spanContext().spanId);
    expect(processSpan.kind).toBe(SpanKind.CONSUMER);
    expect(processSpan.spanContext().traceId).toBe(traceId);
    expect(processSpan.attributes).toMatchObject({ 'bullmq.job.id': added.id, 'bullmq.job.name': 'WORKFLOW_EXECUTION' });

    const descendsFromProcess = (span: ReadableSpan) => {
      for (let at: ReadableSpan | undefined = span; at; at = byId.get(at.parentSpanContext?.spanId ?? '')) {
        if (at === processSpan) return true;
      }
      return false;
    };
    const clientSpans = spans().filter((s) => s.kind === SpanKind.CLIENT);
    const fetchSpan = clientSpans.find((s) => String(s.attributes['url.full']).includes('/fetch'));
    const httpSpan = clientSpans.find((s) => String(s.attributes['url.full']).includes('/http'));
    expect(fetchSpan).toBeDefined();
    expect(httpSpan).toBeDefined();
    expect(descendsFromProcess(fetchSpan!)).toBe(true);
    expect(descendsFromProcess(httpSpan!)).toBe(true);

    // Log lines of the job: its trace, and the process span (or one below it).
    const jobLines = sink.lines.filter((l) => l['msg'] === 'calling the provider' || l['msg'] === 'provider answered');
    expect(jobLines).toHaveLength(2);
    const spanIds = new Set(spans().filter(descendsFromProcess).map((s) => s.spanContext().spanId));
    for (const line of jobLines) {
      expect(line['trace_id']).toBe(traceId);
      expect(spanIds.has(line['span_id'] as string)).toBe(true);
      expect(line['trace_flags']).toBe('01');
    }
    // A line outside any job carries no trace.
    log.info('outside');
    expect(sink.lines.find((l) => l['msg'] === 'outside')).not.toHaveProperty('trace_id');

    // Nothing of the job's data, result or secrets in any span.
    const exported = JSON.stringify(spans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })));
    expect(exported).not.toContain(TOKEN);
    expect(exported).not.toContain('header-canary');
    expect(exported).not.toContain('wf-trace');
    expect(exported).not.toContain('bullmq.job.result');
    expect(fetchSpan!.attributes['url.full']).toMatch(/\/fetch\?access_token=\*\*\*&page=\*\*\*$/);
    // Housekeeping outside any trace (stalled checks, lock renewals) made no trace of its own.
    expect(new Set(spans().map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
  });

  it('with tracing off, adds no field to log lines and stores no trace context in the job', async () => {
    const sink = jsonLineSink();
    const log = createLogger({ level: 'info', destination: sink.destination });
    // The producer's default (propagation on), with no tracer provider registered: nothing to carry.
    producer = new JobProducer({ redis, prefix });
    const added = await trace.getTracer('web').startActiveSpan('POST /api/leads', async (span) => {
      const job = await producer!.add('WORKFLOW_EXECUTION', data);
      span.end();
      return job;
    });
    startWorker(log);
    const client = new Redis(url);
    try {
      await waitFor('the job to complete', async () => (await client.hget(`${prefix}:workflow:${added.id}`, 'finishedOn')) !== null, { timeoutMs: 30_000 });
      expect(await client.hget(`${prefix}:workflow:${added.id}`, 'opts')).not.toContain('telemetry');
    } finally {
      client.disconnect();
    }
    const jobLines = sink.lines.filter((l) => l['msg'] === 'calling the provider' || l['msg'] === 'provider answered');
    expect(jobLines).toHaveLength(2);
    for (const line of jobLines) {
      expect(Object.keys(line)).not.toEqual(expect.arrayContaining(['trace_id']));
      expect(line).not.toHaveProperty('span_id');
      expect(line).not.toHaveProperty('trace_flags');
    }
  });
});
