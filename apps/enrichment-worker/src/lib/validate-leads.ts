import type { z } from 'zod';
import type { leadOutcomeSchema, leadSchema } from '@jobs/queue-contracts';

/** A lead as the job gives it. */
export type Lead = z.infer<typeof leadSchema>;
/** How one lead ended. */
export type LeadOutcome = z.infer<typeof leadOutcomeSchema>;

/**
 * Splits leads into the ones to enrich and the ones rejected with their reason: a lead needs at
 * least one of email, company or phone (non-blank), and an id given to no earlier lead of the job.
 */
export function validateLeads(leads: readonly Lead[]): { valid: Lead[]; rejected: LeadOutcome[] } {
  const valid: Lead[] = [];
  const rejected: LeadOutcome[] = [];
  const seen = new Set<string>();
  leads.forEach((lead, index) => {
    const duplicate = seen.has(lead.id);
    seen.add(lead.id);
    if (duplicate) {
      rejected.push({ leadId: lead.id, status: 'rejected', reason: `leads[${index}].id: "${lead.id}" is given to an earlier lead too` });
    } else if (![lead.email, lead.company, lead.phone].some((v) => typeof v === 'string' && v.trim() !== '')) {
      rejected.push({ leadId: lead.id, status: 'rejected', reason: `leads[${index}]: needs at least one of email, company or phone` });
    } else {
      valid.push(lead);
    }
  });
  return { valid, rejected };
}
