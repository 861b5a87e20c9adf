import { analyseAdAccount } from '../analysis';
import { syntheticAccount, syntheticAnalysisInput } from '../analysis/test-support/synthetic-analysis-input';
import { renderAdReportHtml } from './render-ad-report-html';

// The report of the analysis's own output (not a hand-built one) for the synthetic accounts of
// January 2024: every campaign charted day by day, anomalies marked exactly where the analysis
// found them, and a clean account with no marks at all.

const JANUARY = { start: '2024-01-01', end: '2024-01-31' };

/** Per charted series (account = ''), the symbols of each panel and the anomaly bands. */
function charts(html: string): Map<string, { cost: number; conversions: number; bands: number; days: string }> {
  const found = new Map<string, { cost: number; conversions: number; bands: number; days: string }>();
  for (const [figure, id, days] of html.matchAll(/<figure class="daily-chart" (?:data-account="true"|data-campaign-id="([^"]+)") data-days="(\d+)">[\s\S]*?<\/figure>/g)) {
    const count = (series: number) => (figure.match(new RegExp(`<path [^>]*ecmeta_series_index="${series}" `, 'g')) ?? []).length;
    found.set(id ?? '', { cost: count(0), conversions: count(1), bands: (figure.match(/<polygon /g) ?? []).length, days: days as string });
  }
  return found;
}

describe('the report of a synthetic account', () => {
  it.each([
    ['google', '1234567890'],
    ['meta', 'act_1234567890'],
  ] as const)('%s %s (faulty): every campaign charted with 31 points; a band per anomaly on its chart', (platform, accountId) => {
    const analysis = analyseAdAccount(syntheticAnalysisInput(syntheticAccount(platform, accountId), JANUARY));
    expect(analysis.allAnomalies.length).toBeGreaterThan(0);
    const { html, campaignsNotCharted } = renderAdReportHtml(analysis);
    expect(campaignsNotCharted).toBe(0);
    const drawn = charts(html);
    expect([...drawn.keys()].sort()).toEqual(['', ...analysis.allCampaigns.map((c) => c.campaignId)].sort());
    for (const chart of drawn.values()) expect(chart).toMatchObject({ cost: 31, conversions: 31, days: '31' });
    for (const [id, chart] of drawn) {
      const anomalies = analysis.allAnomalies.filter((a) => (a.campaignId ?? '') === id);
      expect(chart.bands).toBe(anomalies.length);
    }
    for (const campaign of analysis.allCampaigns) expect(html).toContain(`<span class="id">${campaign.campaignId}</span>`);
  });

  it.each([
    ['google', '9876543210'],
    ['meta', 'act_9876543210'],
  ] as const)('%s %s (clean): no anomaly marks, "None." in the anomalies table', (platform, accountId) => {
    const analysis = analyseAdAccount(syntheticAnalysisInput(syntheticAccount(platform, accountId), JANUARY));
    const { html } = renderAdReportHtml(analysis);
    expect(html).not.toContain('<polygon ');
    expect(html).toMatch(/<table class="anomalies">[\s\S]*?<td colspan="8" class="empty">None\.<\/td>/);
  });

  it('google 1234567890: the budget-capped campaign reads "reached its daily budget on 31 of its 31 days with spend; typically by 12:00"', () => {
    const analysis = analyseAdAccount(syntheticAnalysisInput(syntheticAccount('google', '1234567890'), JANUARY));
    const { html } = renderAdReportHtml(analysis);
    expect(html).toContain('runs out of its daily budget, typically by 12:00');
    expect(html).toMatch(/It reached its daily budget of €[\d.,]+ on 31 of its 31 days with spend; typically by 12:00 \(account time\), and showed no ads for the rest of those days\./);
    expect(html).toContain('<li><span class="key">Budget typically spent by:</span> 12:00</li>');
    expect(html).toContain('<li><span class="key">Budget used:</span> 100%</li>');
  });
});

