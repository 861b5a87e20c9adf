import { validateLeads, type Lead, type LeadOutcome } from '../lib/validate-leads';

/** The job's leads split into what runs and what was rejected. */
export interface BatchPlan {
  /** The valid leads in job order, `batchSize` at a time (the last batch may be shorter). */
  readonly batches: readonly (readonly Lead[])[];
  /** Leads without email, company or phone, or with a repeated id, each with its reason. */
  readonly rejected: readonly LeadOutcome[];
}

/**
 * Step 1: rejects leads without email, company or phone (and repeated ids), with the reason;
 * cuts the rest into batches of `batchSize` (≥ 1, the contract's bound), one actor run each.
 */
export function planBatches(leads: readonly Lead[], batchSize: number): BatchPlan {
  const { valid, rejected } = validateLeads(leads);
  const batches: Lead[][] = [];
  for (let i = 0; i < valid.length; i += batchSize) batches.push(valid.slice(i, i + batchSize));
  return { batches, rejected };
}
