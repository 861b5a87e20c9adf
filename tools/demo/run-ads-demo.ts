import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { adAnalysisResultSchema, getAdAnalysisReport, ioRedisOptions, JobProducer } from '@jobs/queue-contracts';
import { REPO_ROOT } from '@jobs/test-support';
import { unlessWorkerDies, type DemoContext } from './demo-context';
import { formatAdAnalysisSummary } from './format-ad-analysis-summary';
import { DEMO_AD_ACCOUNTS, DEMO_AS_OF_DATE, startAdsStack } from './start-ads-stack';
import { waitForJobResult } from './wait-for-job-result';

/**
 * The ads part: local servers that speak the Google Ads API and Meta's Graph API over synthetic
 * accounts with injected faults (a CPA that triples for three days, a campaign that stops
 * spending, a budget exhausted by noon), a stand-in for the web app's token endpoint, the ads
 * worker as its own process, and one AD_ANALYSIS job per platform for January 2024 — the
 * Google one exactly as the seed README enqueues it. Prints each job's phases, a summary
 * (totals with change, anomalies, recommendations), and writes each HTML report (read back as
 * the web app reads it, `getAdAnalysisReport`) to `tmp/demo-ads-report-<platform>.html`. The
 * worker analyses as of `DEMO_AS_OF_DATE` (fixed data, so the demo keeps working as years pass).
 * @throws Error when the worker dies or a job fails.
 */
export async function runAdsDemo(ctx: DemoContext): Promise<void> {
  const producer = new JobProducer({ redis: ctx.redisSettings, prefix: ctx.prefix });
  const events = new QueueEvents('ads', { connection: ioRedisOptions(ctx.redisSettings, 'worker'), prefix: ctx.prefix });
  ctx.onCleanup(() => producer.close());
  ctx.onCleanup(() => events.close());
  if (ctx.externalRedis) ctx.onCleanup(() => producer.queue('ads').obliterate({ force: true }));
  const { worker, google, meta } = await startAdsStack(ctx);
  await events.waitUntilReady();

  const dateRange = { start: new Date('2024-01-01'), end: new Date('2024-01-31') };
  const jobs = [
    await producer.add('AD_ANALYSIS', { userId: 'user_123', platform: 'google', accountId: DEMO_AD_ACCOUNTS.google.appAccountId, dateRange }),
    await producer.add('AD_ANALYSIS', { userId: 'user_123', platform: 'meta', accountId: DEMO_AD_ACCOUNTS.meta.appAccountId, dateRange }),
  ];
  const labels = new Map(jobs.map((job) => [job.id as string, `${job.data.platform} ${job.data.accountId}`]));
  events.on('progress', ({ jobId, data }) => {
    const label = labels.get(jobId);
    const phase = (data as { phase?: string }).phase;
    if (label && phase) ctx.say(`  ${label}: ${phase}`);
  });
  ctx.say(`enqueued ${jobs.length} AD_ANALYSIS jobs for 2024-01-01 … 2024-01-31 (app accounts ${[...labels.values()].join(', ')}), analysed as of ${DEMO_AS_OF_DATE} (ADS_AS_OF_DATE)`);

  const dir = join(REPO_ROOT, 'tmp');
  mkdirSync(dir, { recursive: true });
  // Both run at once (concurrency 4); the summaries are printed once both are done.
  const results = [];
  for (const job of jobs) results.push(adAnalysisResultSchema.parse(await unlessWorkerDies(worker, 'ads-worker', waitForJobResult(producer, job, events))));
  for (const result of results) {
    ctx.say('');
    for (const line of formatAdAnalysisSummary(result)) ctx.say(line);
    const html = result.report ? await getAdAnalysisReport(result.report, { source: producer }) : null;
    if (html === null) {
      ctx.say('  report: not stored (see the worker log)');
      continue;
    }
    const file = join(dir, `demo-ads-report-${result.platform}.html`);
    writeFileSync(file, html);
    const charted = `${result.report?.campaignsNotCharted ? `${result.report.campaignsNotCharted} campaigns not charted` : 'every campaign charted'}`;
    ctx.say(`  report: ${file} (${Math.round(html.length / 1024)} KiB, ${charted}; open it in a browser)`);
  }
  ctx.say('');
  ctx.say(`requests: Google Ads ${google.requests.length}, Meta Graph ${meta.requests.length}`);
}
