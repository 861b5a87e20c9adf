/**
 * BullMQ job names (`job.name`), one per job type of DESIGN.md, and the workflow worker's internal
 * `WORKFLOW_STEP_DEADLINE` (its contract says `internal: true`: no producer function, see
 * `InternalJobName`).
 */
export const JOB_NAMES = {
  EMAIL_SYNC: 'EMAIL_SYNC',
  EMAIL_DRAFT: 'EMAIL_DRAFT',
  VOICE_CALL: 'VOICE_CALL',
  LEAD_ENRICHMENT: 'LEAD_ENRICHMENT',
  WORKFLOW_EXECUTION: 'WORKFLOW_EXECUTION',
  WORKFLOW_STEP_DEADLINE: 'WORKFLOW_STEP_DEADLINE',
  SEO_AUDIT: 'SEO_AUDIT',
  AD_ANALYSIS: 'AD_ANALYSIS',
} as const;

/** One of the job names in {@link JOB_NAMES}. */
export type JobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];
