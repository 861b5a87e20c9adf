import type { Lead, LeadOutcome } from '../lib/validate-leads';

/**
 * Maps a finished run's items back to its leads: an item belongs to a lead by `leadId`, else by
 * the same email. An item with `error` fails its lead with that reason; a lead with no item is
 * `not_found`. The lead's fields are the item's, without `leadId`.
 */
export function outcomesOf(leads: readonly Lead[], items: readonly Record<string, unknown>[]): LeadOutcome[] {
  return leads.map((lead) => {
    const email = lead.email?.toLowerCase();
    const item =
      items.find((i) => i['leadId'] !== undefined && i['leadId'] !== null && String(i['leadId']) === lead.id) ??
      (email ? items.find((i) => (i['leadId'] === undefined || i['leadId'] === null) && String(i['email'] ?? '').toLowerCase() === email) : undefined);
    if (!item) return { leadId: lead.id, status: 'not_found' };
    const error = item['error'];
    if (error !== undefined && error !== null && error !== false) {
      return { leadId: lead.id, status: 'failed', reason: typeof error === 'string' && error !== '' ? error : `the actor reported an error (${JSON.stringify(error)})` };
    }
    const fields = Object.fromEntries(Object.entries(item).filter(([key]) => key !== 'leadId')) as Record<string, never>;
    return { leadId: lead.id, status: 'enriched', fields };
  });
}
