import type { AdAnalysisResult } from '@jobs/queue-contracts';
// The report itself, to compare with (tools may depend on apps; apps have no import alias).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { renderAdReportHtml } from '../../apps/ads-worker/src/lib/report/render-ad-report-html';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { sampleReportAnalysis } from '../../apps/ads-worker/src/lib/report/test-support/sample-report-analysis';
import { formatAdAnalysisSummary } from './format-ad-analysis-summary';

describe('formatAdAnalysisSummary', () => {
  const analysis = sampleReportAnalysis({ days: 31 });
  const summary = {
    ...analysis.summary,
    change: { ...analysis.summary.change, costMicros: { absolute: -4_349_040_000, relative: -0.1215 }, cpaMicros: { absolute: 10_000, relative: 0.0021 } },
  };
  const result: AdAnalysisResult = { ...summary, report: null };

  it('writes changes as the HTML report does: U+2212 or +, one decimal, % with no space', () => {
    const lines = formatAdAnalysisSummary(result);
    const cost = lines.find((l) => l.startsWith('  cost '))!;
    expect(cost).toMatch(/ \(\u221212\.2% vs the period before\)$/);
    expect(lines.find((l) => l.startsWith('  CPA '))).toMatch(/ \(\+0\.2% vs the period before\)$/);
    expect(lines.join('\n')).not.toMatch(/(?<![\w-])-\d/);
    // The same text in the report's KPI table.
    const { html } = renderAdReportHtml({ ...analysis, summary }, { generatedAt: new Date(0) });
    expect(html).toContain('<td class="num down">\u221212.2%</td>');
  });

  it('names the days analysed and compared with; the job range and notes only when the worker changed the request', () => {
    const asAsked = formatAdAnalysisSummary(result);
    expect(asAsked[1]).toBe('  days analysed 2024-01-01 – 2024-01-31 (31 days), compared with 2023-12-01 – 2023-12-31 (31 days)');
    expect(asAsked.some((l) => l.includes('job asked for') || l.includes('note:'))).toBe(false);

    const cut = formatAdAnalysisSummary({
      ...result,
      dateRange: { start: '2024-01-01', end: '2024-02-29' },
      analysedRange: { start: '2024-01-01', end: '2024-01-20' },
      notes: ['The range was cut at yesterday (2024-01-20).'],
    });
    expect(cut.slice(1, 4)).toEqual([
      '  days analysed 2024-01-01 – 2024-01-20 (20 days), compared with 2023-12-01 – 2023-12-31 (31 days)',
      '  job asked for 2024-01-01 – 2024-02-29 (60 days)',
      '  note: The range was cut at yesterday (2024-01-20).',
    ]);
  });

  it('shows money in the account currency, ROAS as a multiple, and every anomaly and recommendation', () => {
    const lines = formatAdAnalysisSummary(result);
    expect(lines.find((l) => l.startsWith('  ROAS '))).toMatch(/^ {2}ROAS {9}3\.00×/);
    expect(lines.find((l) => l.startsWith('  CTR '))).toBe('  CTR          5.00%, 4,650 clicks of 93,000 impressions');
    expect(lines).toContain('  anomalies (2):');
    expect(lines).toContain('    - Campaign 1 (1000): cpa up (2024-01-15 – 2024-01-17, 3 days): €10.02 where €3.34 is usual');
    expect(lines).toContain('  recommendations (1):');
  });

  it('says "no comparison" when previousTotals is null, words one day in the singular, and counts flagged days of a bridged anomaly', () => {
    const none = formatAdAnalysisSummary({ ...result, previousTotals: null });
    expect(none[1]).toBe('  days analysed 2024-01-01 – 2024-01-31 (31 days), no comparison: no data for the previous period 2023-12-01 – 2023-12-31 (31 days)');
    expect(none.join('\n')).not.toContain('compared with');

    const oneDay = formatAdAnalysisSummary({ ...result, analysedRange: { start: '2024-02-01', end: '2024-02-01' }, dateRange: { start: '2024-02-01', end: '2024-02-01' }, previousRange: { start: '2024-01-31', end: '2024-01-31' } });
    expect(oneDay[1]).toBe('  days analysed 2024-02-01 (1 day), compared with 2024-01-31 (1 day)');

    const anomaly = result.anomalies[0]!;
    const bridged = formatAdAnalysisSummary({ ...result, anomalies: [{ ...anomaly, startDate: '2024-01-02', endDate: '2024-01-30', days: 10 }, { ...anomaly, startDate: '2024-01-31', endDate: '2024-01-31', days: 1 }] });
    expect(bridged).toContain('    - Campaign 1 (1000): cpa up (2024-01-02 – 2024-01-30, 10 of 29 days flagged): €10.02 where €3.34 is usual');
    expect(bridged).toContain('    - Campaign 1 (1000): cpa up (2024-01-31): €10.02 where €3.34 is usual');
  });
});
