import type { StepKind, StepOfKind } from '../../engine/step-kind';
import { runChildJobStep } from './run-child-job-step';

/**
 * `enrich_lead`: runs a `LEAD_ENRICHMENT` job on the enrichment queue with the data `input`
 * evaluates to (without `userId`: the run's is added) and completes with its result
 * (`{ outcomes, totals }`). See {@link runChildJobStep} for the wait, retries and timeout.
 */
export const enrichLeadStep: StepKind<StepOfKind<'enrich_lead'>> = {
  kind: 'enrich_lead',
  run: (input) => runChildJobStep('LEAD_ENRICHMENT', input),
};
