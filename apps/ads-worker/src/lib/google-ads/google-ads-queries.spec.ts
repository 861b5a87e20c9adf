import { PermanentJobError } from '@jobs/worker-kit';
import { campaignsQuery, dailyMetricsQuery, hourlyCostQuery } from './google-ads-queries';

describe('Google Ads queries', () => {
  it('puts checked days and ids into GAQL', () => {
    expect(dailyMetricsQuery({ start: '2024-01-01', end: '2024-01-31' }, ['1', '22'])).toBe(
      "SELECT campaign.id, segments.date, metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, metrics.conversions_value FROM campaign WHERE segments.date BETWEEN '2024-01-01' AND '2024-01-31' AND campaign.id IN (1, 22)",
    );
    expect(campaignsQuery()).toBe(
      'SELECT campaign.id, campaign.name, campaign.status, campaign.serving_status, campaign_budget.amount_micros, campaign_budget.period, campaign_budget.explicitly_shared FROM campaign',
    );
    expect(hourlyCostQuery('2024-01-02', '2024-01-09', ['5'])).toContain("WHERE segments.date BETWEEN '2024-01-02' AND '2024-01-09' AND campaign.id IN (5)");
    expect(hourlyCostQuery('2024-01-02', '2024-01-02', ['5'])).toContain("WHERE segments.date = '2024-01-02' AND campaign.id IN (5)");
  });

  it('refuses an id that is not digits naming it, and a malformed day', () => {
    expect(() => campaignsQuery(['12', "3) OR (campaign.id > 0"])).toThrow(PermanentJobError);
    expect(() => campaignsQuery(['12', 'x'])).toThrow(/campaignIds\[1\]/);
    expect(() => dailyMetricsQuery({ start: "2024-01-01' OR '1'='1", end: '2024-01-02' })).toThrow(RangeError);
    expect(() => campaignsQuery([])).toThrow(RangeError);
  });
});
