import { randomBytes } from 'node:crypto';
import { leadEnrichmentActor, startFakeApifyServer, type FakeApifyServer, type WorkerProcess } from '@jobs/test-support';
import { startDemoWorker, type DemoContext } from './demo-context';

/** The enrichment worker of a demo run and the local Apify server it calls. */
export interface EnrichmentStack {
  readonly worker: WorkerProcess;
  readonly apify: FakeApifyServer;
}

const started = new WeakMap<DemoContext, Promise<EnrichmentStack>>();

/**
 * The enrichment worker as its own process, against a local server that speaks Apify's API
 * (actor `sales-tools~lead-enricher`, 150 ms a run; 429 beyond 10 requests a second). Started
 * once per demo run: the parts that need it share it.
 * @throws Error when the worker does not start within 30 s.
 */
export function startEnrichmentStack(ctx: DemoContext): Promise<EnrichmentStack> {
  let stack = started.get(ctx);
  if (!stack) {
    stack = start(ctx);
    started.set(ctx, stack);
  }
  return stack;
}

async function start(ctx: DemoContext): Promise<EnrichmentStack> {
  const token = `apify_api_demo_${randomBytes(8).toString('hex')}`;
  const apify = await startFakeApifyServer({ token, rateLimitPerSecond: 10 });
  ctx.onCleanup(() => apify.close());
  apify.addActor('sales-tools~lead-enricher', { run: leadEnrichmentActor(), durationMs: 150 });
  ctx.say(`local Apify API ${apify.baseUrl} (actor sales-tools~lead-enricher; 429 beyond 10 requests/s)`);
  const worker = await startDemoWorker(ctx, 'enrichment-worker', 'apps/enrichment-worker/src/main.ts', {
    APIFY_BASE_URL: apify.baseUrl,
    APIFY_TOKEN: token,
    APIFY_ACTOR_ID: 'sales-tools~lead-enricher',
    SHUTDOWN_TIMEOUT_MS: '3000',
  });
  return { worker, apify };
}
