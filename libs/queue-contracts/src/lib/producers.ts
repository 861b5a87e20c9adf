import type { AddedJob } from './added-job';
import { JOB_NAMES, type JobName } from './job-names';
import type { JobDataInput } from './job-registry';
import type { ProducerJobOptions } from './job-options';
import { JobProducer, type BulkJob, type JobProducerOptions } from './job-producer';
import type { QueueName } from './queue-names';
import type { QueueStats } from './queue-stats';
import { producerOptionsFromEnv } from './producer-options-from-env';

let defaultProducer: JobProducer | undefined;
let configured: JobProducerOptions | undefined;

/**
 * Sets where the module-level producers (`addEmailSyncJob` ...) connect. Without a call they
 * read `REDIS_URL` / `REDIS_HOST` ... and `BULLMQ_PREFIX` from `process.env` on first use (see
 * `producerOptionsFromEnv`), as the workers do.
 * A producer already open is closed first.
 */
export async function configureProducers(options: JobProducerOptions): Promise<void> {
  const previous = defaultProducer;
  configured = options;
  defaultProducer = new JobProducer(options);
  await previous?.close();
}

/** The module-level {@link JobProducer}, created on first use. */
export function getDefaultProducer(): JobProducer {
  defaultProducer ??= new JobProducer(configured ?? producerOptionsFromEnv());
  return defaultProducer;
}

/**
 * Closes what the module-level producers opened; the next add opens again, with the same
 * settings (those of {@link configureProducers}, or the environment's).
 */
export async function closeQueues(): Promise<void> {
  const producer = defaultProducer;
  defaultProducer = undefined;
  await producer?.close();
}

type Add<N extends JobName> = (data: JobDataInput<N>, opts?: ProducerJobOptions) => Promise<AddedJob<N>>;
type AddBulk<N extends JobName> = (jobs: readonly BulkJob<N>[]) => Promise<AddedJob<N>[]>;

const adder =
  <N extends JobName>(name: N): Add<N> =>
  (data, opts) =>
    getDefaultProducer().add(name, data, opts);
const bulkAdder =
  <N extends JobName>(name: N): AddBulk<N> =>
  (jobs) =>
    getDefaultProducer().addBulk(name, jobs);

/**
 * Enqueues `EMAIL_SYNC` on `email` and returns the job Redis holds: with a `jobId` already
 * taken, the earlier job marked `alreadyExisted: true` (see `AddedJob`).
 * @throws JobValidationError, InvalidJobOptionsError, QueueUnavailableError
 */
export const addEmailSyncJob = adder(JOB_NAMES.EMAIL_SYNC);
/** Enqueues `EMAIL_DRAFT` on `email`. @throws as {@link addEmailSyncJob} */
export const addEmailDraftJob = adder(JOB_NAMES.EMAIL_DRAFT);
/** Enqueues `VOICE_CALL` on `voice`. @throws as {@link addEmailSyncJob} */
export const addVoiceCallJob = adder(JOB_NAMES.VOICE_CALL);
/** Enqueues `LEAD_ENRICHMENT` on `enrichment`. @throws as {@link addEmailSyncJob} */
export const addLeadEnrichmentJob = adder(JOB_NAMES.LEAD_ENRICHMENT);
/** Enqueues `WORKFLOW_EXECUTION` on `workflow`. @throws as {@link addEmailSyncJob} */
export const addWorkflowExecutionJob = adder(JOB_NAMES.WORKFLOW_EXECUTION);
/** Enqueues `SEO_AUDIT` on `seo`. @throws as {@link addEmailSyncJob} */
export const addSeoAuditJob = adder(JOB_NAMES.SEO_AUDIT);
/** Enqueues `AD_ANALYSIS` on `ads`. @throws as {@link addEmailSyncJob} */
export const addAdAnalysisJob = adder(JOB_NAMES.AD_ANALYSIS);

/** Bulk forms: all jobs validated first, then added in one transaction. */
export const addEmailSyncJobs = bulkAdder(JOB_NAMES.EMAIL_SYNC);
/** Bulk form of {@link addEmailDraftJob}. */
export const addEmailDraftJobs = bulkAdder(JOB_NAMES.EMAIL_DRAFT);
/** Bulk form of {@link addVoiceCallJob}. */
export const addVoiceCallJobs = bulkAdder(JOB_NAMES.VOICE_CALL);
/** Bulk form of {@link addLeadEnrichmentJob}. */
export const addLeadEnrichmentJobs = bulkAdder(JOB_NAMES.LEAD_ENRICHMENT);
/** Bulk form of {@link addWorkflowExecutionJob}. */
export const addWorkflowExecutionJobs = bulkAdder(JOB_NAMES.WORKFLOW_EXECUTION);
/** Bulk form of {@link addSeoAuditJob}. */
export const addSeoAuditJobs = bulkAdder(JOB_NAMES.SEO_AUDIT);
/** Bulk form of {@link addAdAnalysisJob}. */
export const addAdAnalysisJobs = bulkAdder(JOB_NAMES.AD_ANALYSIS);

/** `{ waiting, active, completed, failed, delayed, paused }` of one queue. @throws QueueUnavailableError */
export function getQueueStats(queue: QueueName): Promise<QueueStats> {
  return getDefaultProducer().getQueueStats(queue);
}

/** {@link getQueueStats} for every queue, keyed by queue name. */
export function getAllQueueStats(): Promise<Record<QueueName, QueueStats>> {
  return getDefaultProducer().getAllQueueStats();
}
