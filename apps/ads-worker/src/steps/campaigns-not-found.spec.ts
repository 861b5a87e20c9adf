import { MAX_RESULT_NOTE_CHARS } from '@jobs/queue-contracts';
import { PermanentJobError } from '@jobs/worker-kit';
import type { CampaignInfo } from '../lib/ads-data';
import { campaignsNotFound, MAX_IDS_NAMED_IN_NOTE } from './campaigns-not-found';

const campaign = (campaignId: string): CampaignInfo => ({ campaignId, name: campaignId, status: 'ENABLED', dailyBudgetMicros: null });

describe('campaignsNotFound', () => {
  it('says nothing when no campaign was named or every one was found', () => {
    expect(campaignsNotFound(undefined, [])).toBeNull();
    expect(campaignsNotFound(['1', '2', '1'], [campaign('1'), campaign('2')])).toBeNull();
  });

  it('names the ids not found, in the job order, at most ten then a count, within a result note', () => {
    // 32-digit ids, the longest the contract takes.
    const named = ['1', ...Array.from({ length: 25 }, (_, i) => `9${String(i).padStart(31, '0')}`)];
    const note = campaignsNotFound(named, [campaign('1')]) ?? '';
    expect(note).toMatch(/^25 of the campaigns named in campaignIds are not in this ad account and were left out: /);
    expect(note).toContain(`${named[1]}, ${named[2]}`);
    expect(note).toMatch(/ and 15 more\.$/);
    expect(note.split(', ')).toHaveLength(MAX_IDS_NAMED_IN_NOTE);
    expect(note.length).toBeLessThanOrEqual(MAX_RESULT_NOTE_CHARS);
  });

  it('fails naming campaignIds when none of them is the account’s', () => {
    const run = () => campaignsNotFound(['7', '8'], []);
    expect(run).toThrow(PermanentJobError);
    expect(run).toThrow('campaignIds: no campaign named is in this ad account (7, 8); omit campaignIds for all campaigns');
  });
});
