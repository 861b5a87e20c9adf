import { QueueEvents } from 'bullmq';
import { ioRedisOptions, JobProducer, leadEnrichmentResultSchema } from '@jobs/queue-contracts';
import { unlessWorkerDies, type DemoContext } from './demo-context';
import { startEnrichmentStack } from './start-enrichment-stack';
import { waitForJobResult } from './wait-for-job-result';

/**
 * The enrichment part: a local server that speaks Apify's API (an enrichment actor; 429 beyond
 * 10 requests a second), the enrichment worker as its own process, one LEAD_ENRICHMENT job of 60
 * leads (a few that cannot be enriched) in batches of 5, progress per batch, the totals and the
 * request rate the server saw.
 * @throws Error when the worker dies or the job fails.
 */
export async function runEnrichmentDemo(ctx: DemoContext): Promise<void> {
  const producer = new JobProducer({ redis: ctx.redisSettings, prefix: ctx.prefix });
  const events = new QueueEvents('enrichment', { connection: ioRedisOptions(ctx.redisSettings, 'worker'), prefix: ctx.prefix });
  ctx.onCleanup(() => producer.close());
  ctx.onCleanup(() => events.close());
  if (ctx.externalRedis) ctx.onCleanup(() => producer.queue('enrichment').obliterate({ force: true }));
  const { worker, apify } = await startEnrichmentStack(ctx);
  await events.waitUntilReady();

  const leads = Array.from({ length: 60 }, (_, i) => {
    if (i === 7) return { id: `lead-${i}` }; // nothing to look up: rejected
    if (i % 11 === 10) return { id: `lead-${i}`, company: `unknown holdings ${i}` }; // not found
    if (i === 23) return { id: `lead-${i}`, email: 'error@acme.example' }; // the actor fails it
    return { id: `lead-${i}`, email: `person${i}@acme-${i % 9}.example` };
  });
  const job = await producer.add('LEAD_ENRICHMENT', { userId: 'demo-user', leads, batchSize: 5 });
  ctx.say(`enqueued LEAD_ENRICHMENT job ${job.id}: ${leads.length} leads in batches of 5`);
  events.on('progress', ({ jobId, data }) => {
    const p = data as { batchesDone?: number; batches?: number };
    if (jobId === job.id && p.batchesDone !== undefined && (p.batchesDone % 3 === 0 || p.batchesDone === p.batches)) {
      ctx.say(`  batch ${p.batchesDone}/${p.batches} done, ${apify.requests.length} Apify requests so far`);
    }
  });
  const started = Date.now();
  const result = leadEnrichmentResultSchema.parse(await unlessWorkerDies(worker, 'enrichment-worker', waitForJobResult(producer, job, events)));
  const seconds = (Date.now() - started) / 1000;
  const t = result.totals;
  ctx.say(`enriched ${t.enriched}, not found ${t.notFound}, failed ${t.failed}, rejected ${t.rejected} (of ${result.outcomes.length} leads) in ${seconds.toFixed(1)} s`);
  for (const o of result.outcomes.filter((x) => x.status !== 'enriched').slice(0, 4)) ctx.say(`  ${o.leadId}: ${o.status}${o.reason ? ` — ${o.reason}` : ''}`);
  const sample = result.outcomes.find((o) => o.status === 'enriched');
  if (sample?.fields) ctx.say(`  ${sample.leadId}: ${JSON.stringify(sample.fields)}`);
  ctx.say(`Apify saw ${apify.requests.length} requests for ${apify.runs.length} actor runs, ${(apify.requests.length / seconds).toFixed(1)}/s, ${apify.rateLimited} answered 429`);
  ctx.say('');
}
