import { PermanentJobError } from '@jobs/worker-kit';
import type { CampaignInfo } from '../lib/ads-data';

/** The most ids one note lists; the rest are counted ("and N more"), so the note stays within the result's 500 characters. */
export const MAX_IDS_NAMED_IN_NOTE = 10;

/**
 * Compares the job's `campaignIds` with the campaigns the platform listed for them (a client
 * leaves out ids the account does not have).
 * @param named the job's `campaignIds` (duplicates count once), or undefined (all campaigns).
 * @param listed what `listCampaigns(named)` returned.
 * @returns a note naming the ids not found (at most {@link MAX_IDS_NAMED_IN_NOTE}, in the job's
 *   order, then how many more), or null when every id was found or none was named.
 * @throws PermanentJobError naming `campaignIds` when ids were named and none of them is the
 *   account's (asking again cannot help; an empty analysis would look like a stop in spending).
 */
export function campaignsNotFound(named: readonly string[] | undefined, listed: readonly CampaignInfo[]): string | null {
  if (named === undefined) return null;
  const found = new Set(listed.map((c) => c.campaignId));
  const missing = [...new Set(named)].filter((id) => !found.has(id));
  if (missing.length === 0) return null;
  const shown = missing.slice(0, MAX_IDS_NAMED_IN_NOTE).join(', ');
  const more = missing.length > MAX_IDS_NAMED_IN_NOTE ? ` and ${missing.length - MAX_IDS_NAMED_IN_NOTE} more` : '';
  if (found.size === 0) {
    throw new PermanentJobError(`campaignIds: no campaign named is in this ad account (${shown}${more}); omit campaignIds for all campaigns`);
  }
  return `${missing.length} of the campaigns named in campaignIds ${missing.length === 1 ? 'is' : 'are'} not in this ad account and ${missing.length === 1 ? 'was' : 'were'} left out: ${shown}${more}.`;
}
