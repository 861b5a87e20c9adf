import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';
import { JOB_NAMES, type JobName } from './job-names';
import { QUEUE_NAMES, type QueueName } from './queue-names';
import { adAnalysisDataSchema, adAnalysisResultSchema } from './contracts/ads';
import {
  emailDraftDataSchema,
  emailDraftResultSchema,
  emailSyncDataSchema,
  emailSyncResultSchema,
} from './contracts/email';
import { leadEnrichmentDataSchema, leadEnrichmentResultSchema } from './contracts/enrichment';
import { seoAuditDataSchema, seoAuditResultSchema } from './contracts/seo';
import { voiceCallDataSchema, voiceCallResultSchema } from './contracts/voice';
import { workflowExecutionDataSchema, workflowExecutionResultSchema } from './contracts/workflow';
import { workflowStepDeadlineDataSchema, workflowStepDeadlineResultSchema } from './contracts/workflow-step-deadline';

/** What the producer and the worker agree on for one job type. */
export interface JobContract<D extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** The queue jobs of this type go to. */
  readonly queue: QueueName;
  /** Schema of `job.data`; producers parse before `add`, workers parse again on receipt. */
  readonly data: D;
  /** Schema of the handler's return value (`job.returnvalue`). */
  readonly result: R;
  /** Job options of this type over `DEFAULT_JOB_OPTIONS` (a producer's options win over both). */
  readonly jobDefaults?: JobsOptions;
  /**
   * A job a worker adds to its own queue (no producer function, not part of the app's API): a
   * worker app may leave it without a handler (see `InternalJobName`).
   */
  readonly internal?: true;
}

/**
 * The one registry of job name → queue, data schema and result schema, shared by the typed
 * producers and the worker factory. Adding a job type starts here (see README).
 */
export const JOB_CONTRACTS = {
  [JOB_NAMES.EMAIL_SYNC]: { queue: QUEUE_NAMES.email, data: emailSyncDataSchema, result: emailSyncResultSchema },
  [JOB_NAMES.EMAIL_DRAFT]: { queue: QUEUE_NAMES.email, data: emailDraftDataSchema, result: emailDraftResultSchema },
  [JOB_NAMES.VOICE_CALL]: { queue: QUEUE_NAMES.voice, data: voiceCallDataSchema, result: voiceCallResultSchema },
  [JOB_NAMES.LEAD_ENRICHMENT]: {
    queue: QUEUE_NAMES.enrichment,
    data: leadEnrichmentDataSchema,
    result: leadEnrichmentResultSchema,
  },
  [JOB_NAMES.WORKFLOW_EXECUTION]: {
    queue: QUEUE_NAMES.workflow,
    data: workflowExecutionDataSchema,
    result: workflowExecutionResultSchema,
  },
  [JOB_NAMES.WORKFLOW_STEP_DEADLINE]: {
    queue: QUEUE_NAMES.workflow,
    data: workflowStepDeadlineDataSchema,
    result: workflowStepDeadlineResultSchema,
    internal: true,
  },
  [JOB_NAMES.SEO_AUDIT]: {
    queue: QUEUE_NAMES.seo,
    data: seoAuditDataSchema,
    result: seoAuditResultSchema,
    // An audit's result holds every page (~360 KB per 500 pages): keep the last 100, not 1000.
    jobDefaults: { removeOnComplete: { age: 24 * 60 * 60, count: 100 } },
  },
  [JOB_NAMES.AD_ANALYSIS]: { queue: QUEUE_NAMES.ads, data: adAnalysisDataSchema, result: adAnalysisResultSchema },
} as const satisfies Record<JobName, JobContract>;

/** The registry's type. */
export type JobContracts = typeof JOB_CONTRACTS;
/** Job data as a producer may pass it (before defaults and coercion). */
export type JobDataInput<N extends JobName> = z.input<JobContracts[N]['data']>;
/** Job data as a handler receives it (after parsing). */
export type JobData<N extends JobName> = z.output<JobContracts[N]['data']>;
/** A handler's result. */
export type JobResult<N extends JobName> = z.output<JobContracts[N]['result']>;
/** The job names that go to queue `Q`. */
export type JobNamesOf<Q extends QueueName> = {
  [N in JobName]: JobContracts[N]['queue'] extends Q ? N : never;
}[JobName];

/** The job names whose contract says `internal: true` (added by a worker to its own queue). */
export type InternalJobName = {
  [N in JobName]: JobContracts[N] extends { readonly internal: true } ? N : never;
}[JobName];

/** The job names whose contract names queue `queue`. */
export function jobNamesForQueue(queue: QueueName): JobName[] {
  return (Object.keys(JOB_CONTRACTS) as JobName[]).filter((name) => JOB_CONTRACTS[name].queue === queue);
}
