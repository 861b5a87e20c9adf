import type { JobResult } from '@jobs/queue-contracts';
import type { Lead, LeadOutcome } from '../lib/validate-leads';

/**
 * Last step: the job's result, outcomes in the job's lead order (a repeated id keeps its first
 * outcome, the repeat its rejection), with totals per status. `outcomes` maps a lead id to its
 * run outcome or rejection; `rejected` holds every rejection in order.
 */
export function toEnrichmentResult(
  leads: readonly Lead[],
  outcomes: ReadonlyMap<string, LeadOutcome>,
  rejected: readonly LeadOutcome[],
): JobResult<'LEAD_ENRICHMENT'> {
  const ordered: LeadOutcome[] = [];
  const used = new Set<LeadOutcome>();
  for (const lead of leads) {
    const first = outcomes.get(lead.id);
    const outcome = first && !used.has(first) ? first : rejected.find((r) => r.leadId === lead.id && !used.has(r));
    if (outcome) {
      used.add(outcome);
      ordered.push(outcome);
    }
  }
  const count = (status: LeadOutcome['status']) => ordered.filter((o) => o.status === status).length;
  return {
    outcomes: ordered,
    totals: { enriched: count('enriched'), notFound: count('not_found'), failed: count('failed'), rejected: count('rejected') },
  };
}
