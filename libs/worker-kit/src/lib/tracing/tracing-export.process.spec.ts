import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { trace } from '@opentelemetry/api';
import { build } from 'esbuild';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Redis } from 'ioredis';
import { JobProducer, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { deletePrefix, REPO_ROOT, spawnWorkerProcess, startTestServer, testRedisUrl, uniquePrefix, waitFor, type TestServer, type WorkerProcess } from '@jobs/test-support';
import { createLogger } from '../create-logger';
import { loadWorkerConfig } from '../worker-config';
import { startTracing, type Tracing } from './start-tracing';

// A real worker process (fixtures/traced-worker.ts, defineWorkerApp) exporting to a loopback
// OTLP/HTTP receiver: the job's trace, begun in this process, reaches the receiver from the
// worker; the spans of the last job are flushed by SIGTERM; the exporter's headers are sent and
// never logged. Run twice: from source (tsx) and as an esbuild bundle built the way the apps are
// (CommonJS, every npm package external, required before main() runs), where node:http was
// loaded long before tracing started.
const FIXTURE = 'libs/worker-kit/src/lib/tracing/fixtures/traced-worker.ts';

/** Bundles the fixture as `nx build` bundles an app (tools/build/esbuild.config.cjs: npm packages external). */
async function bundleFixture(outDir: string): Promise<string> {
  const rootPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const outfile = join(outDir, 'main.js');
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [FIXTURE],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    tsconfig: 'tsconfig.base.json',
    external: Object.keys(rootPackage.dependencies),
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/** Runs a bundled worker with plain node (packages from the workspace), as a WorkerProcess. */
function spawnBundle(file: string, env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [file], {
    env: { PATH: process.env['PATH'], NODE_PATH: join(REPO_ROOT, 'node_modules'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  createInterface({ input: child.stdout }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as Record<string, unknown>);
    } catch {
      // not a log line
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine: (match, timeoutMs = 60_000) =>
      waitFor('a matching log line', () => lines.find(match) ?? (child.exitCode !== null ? Promise.reject(new Error(`exited: ${stderr}`)) : undefined), { timeoutMs }),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
const HEADER_CANARY = 'otlp-header-canary-4242';

/** One span of an OTLP/JSON ExportTraceServiceRequest, as far as the test reads it. */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: { stringValue?: string } }[];
}
interface OtlpRequest {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

describe.each(['source', 'bundle'] as const)('a worker process (%s) with OTEL_EXPORTER_OTLP_ENDPOINT', (form) => {
  const url = testRedisUrl();
  const prefix = uniquePrefix('otlp');
  let bundleDir: string | undefined;
  let receiver: TestServer;
  let provider: TestServer;
  let proc: WorkerProcess | undefined;
  let tracing: Tracing | undefined;
  let producer: JobProducer | undefined;
  const exports: { at: number; headers: Record<string, unknown>; body: OtlpRequest }[] = [];

  beforeAll(async () => {
    receiver = await startTestServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += String(d)));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/traces') {
          exports.push({ at: Date.now(), headers: { ...req.headers }, body: JSON.parse(body) as OtlpRequest });
          res.setHeader('content-type', 'application/json');
          res.end('{}');
        } else {
          res.statusCode = 404;
          res.end();
        }
      });
    });
    provider = await startTestServer((_req, res) => res.end('ok'));
  });

  afterAll(async () => {
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
    proc?.kill();
    await proc?.exited;
    await producer?.close();
    await tracing?.shutdown();
    await receiver.close();
    await provider.close();
    await deletePrefix(url, prefix);
  });

  it('exports the job’s spans in the producer’s trace, flushes the last ones on SIGTERM, never logs the headers', async () => {
    const env = {
      REDIS_URL: url,
      BULLMQ_PREFIX: prefix,
      HEALTH_HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
      OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${HEADER_CANARY}`,
      // The batch is never sent on its own during the test: what arrives was flushed at shutdown.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    };
    if (form === 'source') proc = spawnWorkerProcess(FIXTURE, env);
    else {
      bundleDir = mkdtempSync(join(tmpdir(), 'traced-worker-'));
      proc = spawnBundle(await bundleFixture(bundleDir), env);
    }
    const ready = await proc.waitForLine((l) => l['fixtureReady'] === true);
    // Probes, as Kubernetes sends them: they must make no span.
    for (const path of ['/healthz', '/readyz', '/metrics']) await (await fetch(`http://127.0.0.1:${String(ready['healthPort'])}${path}`)).text();

    // The web side: a trace active here, propagated by the producer.
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({
      config: loadWorkerConfig({ concurrency: 1, maxJobsPerSecond: 0, healthPort: 0 }, {}).tracing,
      serviceName: 'web-test',
      log: createLogger({ level: 'silent' }),
      flushTimeoutMs: 5000,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_URL: url }), prefix, telemetry: 'otel' });
    const { jobId, traceId } = await trace.getTracer('web').startActiveSpan('POST /api/leads', async (span) => {
      const job = await producer!.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'wf-otlp', triggerId: 't', context: { callUrl: provider.origin } });
      span.end();
      return { jobId: job.id!, traceId: span.spanContext().traceId };
    });
    const client = new Redis(url);
    try {
      await waitFor('the job to complete', async () => (await client.hget(`${prefix}:workflow:${jobId}`, 'finishedOn')) !== null, { timeoutMs: 30_000 });
    } finally {
      client.disconnect();
    }
    expect(exports).toHaveLength(0);

    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    expect(exit.code).toBe(0);

    const spans = exports.flatMap((e) => e.body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
    const serviceNames = exports.flatMap((e) => e.body.resourceSpans.flatMap((r) => r.resource.attributes.filter((a) => a.key === 'service.name').map((a) => a.value.stringValue)));
    expect(new Set(serviceNames)).toEqual(new Set(['traced-worker']));
    const processSpan = spans.find((s) => s.name === 'process workflow');
    expect(processSpan).toBeDefined();
    expect(processSpan!.traceId).toBe(traceId);
    // The provider calls, fetch and node:http, are children of the process span.
    const clients = spans.filter((s) => s.parentSpanId === processSpan!.spanId && s.kind === 3 /* CLIENT in OTLP's numbering */);
    const paths = clients.map((s) => s.attributes?.find((a) => a.key === 'url.full')?.value.stringValue);
    expect(paths).toEqual(expect.arrayContaining([`${provider.origin}/fetch`, `${provider.origin}/http`]));
    expect(exports.every((e) => e.headers['x-api-key'] === HEADER_CANARY)).toBe(true);
    // Every span is of the job's trace: no server span of the probes, no housekeeping trace.
    expect(spans.filter((s) => s.kind === 2 /* SERVER */)).toEqual([]);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));

    // The job's lines carry its trace; the header value is nowhere in what the process printed.
    const jobLines = proc.lines.filter((l) => l['msg'] === 'calling the provider' || l['msg'] === 'provider answered');
    expect(jobLines.map((l) => l['trace_id'])).toEqual([traceId, traceId]);
    expect(proc.lines.some((l) => l['msg'] === 'tracing on')).toBe(true);
    expect(`${JSON.stringify(proc.lines)}\n${proc.stderr()}`).not.toContain(HEADER_CANARY);
  });
});
