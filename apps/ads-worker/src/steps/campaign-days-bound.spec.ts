import { PermanentJobError } from '@jobs/worker-kit';
import { checkCampaignDays, MAX_CAMPAIGN_DAYS } from './campaign-days-bound';

describe('checkCampaignDays', () => {
  it('accepts up to the bound and refuses beyond it with advice naming dateRange and campaignIds', () => {
    expect(() => checkCampaignDays(MAX_CAMPAIGN_DAYS / 400, 400, false)).not.toThrow();
    const run = () => checkCampaignDays(500, 1126, true);
    expect(run).toThrow(PermanentJobError);
    expect(run).toThrow('500 campaigns × 1126 days = 563000 campaign-days, more than the 200000 one analysis covers: shorten dateRange to at most 400 days, or name at most 177 campaigns in campaignIds');
  });
});
