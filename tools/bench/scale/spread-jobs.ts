import { AD_KPI_NAMES, QUEUE_NAMES, type AdAnalysisResult, type AdKpis, type JobDataInput, type JobResult } from '@jobs/queue-contracts';
import { SEO_NOOP_DATA, SEO_NOOP_RESULT } from '../seo-noop-job';

/**
 * The queues of the spread case, one per Redis Cluster slot group (`QUEUE_SLOT_GROUPS`):
 * `seo` → `{seo-audit}`, `ads` → `{ads}`, `email` → `{workflow}`. On a cluster made by
 * `redis-cli --cluster create` over 3 masters the three groups land on three masters.
 */
export const SPREAD_QUEUES = Object.freeze([QUEUE_NAMES.seo, QUEUE_NAMES.ads, QUEUE_NAMES.email] as const);

/** One of {@link SPREAD_QUEUES}. */
export type SpreadQueue = (typeof SPREAD_QUEUES)[number];

const ZERO_KPIS: AdKpis = { impressions: 0, clicks: 0, costMicros: 0, conversions: 0, conversionValueMicros: 0, ctr: null, cpcMicros: null, cpmMicros: null, cvr: null, cpaMicros: null, roas: null };

/** An AD_ANALYSIS result its contract accepts: an account with no campaigns and no report. */
const ADS_NOOP_RESULT: AdAnalysisResult = {
  platform: 'google',
  accountId: 'bench-account',
  accountName: null,
  currency: 'EUR',
  timeZone: 'Europe/Berlin',
  dateRange: { start: '2024-01-01', end: '2024-01-31' },
  analysedRange: { start: '2024-01-01', end: '2024-01-31' },
  previousRange: { start: '2023-12-01', end: '2023-12-31' },
  notes: [],
  totals: ZERO_KPIS,
  previousTotals: null,
  change: Object.fromEntries(AD_KPI_NAMES.map((name) => [name, { absolute: null, relative: null }])) as AdAnalysisResult['change'],
  campaigns: [],
  campaignsOmitted: 0,
  anomalies: [],
  recommendations: [],
  report: null,
};

/** An EMAIL_SYNC result its contract accepts: a sync that found nothing new. */
const EMAIL_NOOP_RESULT: JobResult<'EMAIL_SYNC'> = {
  fetched: 0,
  new: 0,
  changed: 0,
  deleted: 0,
  repeatsSkipped: 0,
  cursor: null,
  fullSync: false,
  resyncReason: null,
  pages: 0,
  durationMs: 0,
};

/**
 * What each spread queue's jobs are: the job name, a small payload its contract accepts (the
 * producer parses it) and the result a no-op handler returns (the kit's worker checks it against
 * the contract; the raw worker returns it as it is).
 */
export const SPREAD_JOBS = Object.freeze({
  seo: { name: 'SEO_AUDIT', data: SEO_NOOP_DATA as JobDataInput<'SEO_AUDIT'>, result: SEO_NOOP_RESULT },
  ads: {
    name: 'AD_ANALYSIS',
    data: { userId: 'bench-user', platform: 'google', accountId: 'bench-account', dateRange: { start: '2024-01-01', end: '2024-01-31' } } as JobDataInput<'AD_ANALYSIS'>,
    result: ADS_NOOP_RESULT,
  },
  email: { name: 'EMAIL_SYNC', data: { userId: 'bench-user', accountId: 'bench-account', emailProvider: 'gmail' } as JobDataInput<'EMAIL_SYNC'>, result: EMAIL_NOOP_RESULT },
} as const);

/**
 * Reads `BENCH_QUEUE` (a worker process's queue): one of {@link SPREAD_QUEUES}, default `seo`.
 * @throws RangeError for any other value.
 */
export function benchQueueFromEnv(env: NodeJS.ProcessEnv = process.env): SpreadQueue {
  const queue = env['BENCH_QUEUE'] ?? QUEUE_NAMES.seo;
  if (!(SPREAD_QUEUES as readonly string[]).includes(queue)) throw new RangeError(`BENCH_QUEUE must be one of ${SPREAD_QUEUES.join(', ')}, got "${queue}"`);
  return queue as SpreadQueue;
}
