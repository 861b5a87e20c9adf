import type { LeadOutcome } from '../lib/validate-leads';
import { toEnrichmentResult } from './to-enrichment-result';

describe('toEnrichmentResult', () => {
  it('lists outcomes in the job lead order, a repeated id getting its rejection, with totals', () => {
    const leads = [{ id: 'a', email: 'a@x.example' }, { id: 'b' }, { id: 'a', company: 'A' }, { id: 'c', email: 'c@x.example' }];
    const rejected: LeadOutcome[] = [
      { leadId: 'b', status: 'rejected', reason: 'leads[1]: needs at least one of email, company or phone' },
      { leadId: 'a', status: 'rejected', reason: 'leads[2].id: "a" is given to an earlier lead too' },
    ];
    const ran = new Map<string, LeadOutcome>([
      ['a', { leadId: 'a', status: 'enriched', fields: {} }],
      ['b', rejected[0] as LeadOutcome],
      ['c', { leadId: 'c', status: 'failed', reason: 'actor run r1 FAILED' }],
    ]);
    const result = toEnrichmentResult(leads, ran, rejected);
    expect(result.outcomes.map((o) => `${o.leadId}:${o.status}`)).toEqual(['a:enriched', 'b:rejected', 'a:rejected', 'c:failed']);
    expect(result.totals).toEqual({ enriched: 1, notFound: 0, failed: 1, rejected: 2 });
  });
});
