import { renderAdReportHtml, renderAdReportHtmlYielding } from './render-ad-report-html';
import { MARKUP_CAMPAIGN_NAME, sampleReportAnalysis } from './test-support/sample-report-analysis';

/** The `<figure>` of one chart (campaign id, or null for the account), or undefined. */
function figure(html: string, campaignId: string | null): string | undefined {
  const open = campaignId === null ? '<figure class="daily-chart" data-account="true"' : `<figure class="daily-chart" data-campaign-id="${campaignId}"`;
  const start = html.indexOf(open);
  return start < 0 ? undefined : html.slice(start, html.indexOf('</figure>', start));
}

/** Symbols ECharts drew for line series `index` (see renderDailyChartSvg). */
function points(svg: string, index: number): number[] {
  return [...svg.matchAll(new RegExp(`<path [^>]*ecmeta_series_index="${index}" ecmeta_data_index="(\\d+)"`, 'g'))].map((m) => Number(m[1]));
}

describe('renderAdReportHtml', () => {
  const fixed = { generatedAt: new Date('2024-02-01T08:00:00Z') };

  it('is one self-contained document: no script, no link, no URL, a CSP that allows nothing to load', () => {
    const { html } = renderAdReportHtml(sampleReportAnalysis(), fixed);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed|image|use)\b/i);
    // No tag has an attribute that loads (the campaign name's "src=x" is escaped text, in no tag).
    expect(html).not.toMatch(/<[a-z][^>]*\s(src|href|xlink:href|srcset|action|poster|background)\s*=/i);
    expect(html).not.toMatch(/@import/i);
    // SVG's only url() references are fragments of the same document (clip paths).
    for (const [ref] of html.matchAll(/url\([^)]*\)/g)) expect(ref).toMatch(/^url\(#[\w-]+\)$/);
  });

  it('renders the same analysis to the same bytes (ids numbered per chart, not per process)', () => {
    const analysis = sampleReportAnalysis({ days: 10 });
    const first = renderAdReportHtml(analysis, fixed).html;
    expect(renderAdReportHtml(analysis, fixed).html).toBe(first);
    expect(first).not.toMatch(/\bzr\d+-/);
    const ids = [...first.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('renderAdReportHtmlYielding gives the same bytes, letting the event loop turn between every chart and table', async () => {
    const analysis = sampleReportAnalysis({ campaigns: 8, days: 40 });
    const options = { ...fixed, maxChartedCampaigns: 6 };
    // A ticker re-queued on every turn of the loop's check phase: it runs once per turn, so it
    // counts the turns the render gave back (ordering only, no clock).
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const yielded = await renderAdReportHtmlYielding(analysis, options);
    ticking = false;
    expect(yielded).toEqual(renderAdReportHtml(analysis, options));
    expect(yielded.campaignsNotCharted).toBe(2);
    // 5 tables (KPIs, recommendations, anomalies, campaigns, pacing), the account chart and 6
    // campaign charts: 12 parts, a turn before each.
    expect(turns).toBeGreaterThanOrEqual(6 + 5);
  });

  it('keeps campaign names, reasons and evidence as text (escaped)', () => {
    const { html } = renderAdReportHtml(sampleReportAnalysis(), fixed);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; Sale &amp; &quot;Deals&quot;');
    expect(html).not.toContain(MARKUP_CAMPAIGN_NAME);
    expect(html).toContain('Ad analysis: Acme &lt;Shoes&gt;');
    expect(html).toContain('Check what changed &lt;b&gt;here&lt;/b&gt;');
    expect(html).toContain('CPA rose &amp; stayed &quot;high&quot;');
    expect(html).toContain('&lt;i&gt;x&lt;/i&gt;');
  });

  it('charts the account and each campaign with one point per day on each of cost, conversions and CPA', () => {
    const { html, campaignsNotCharted } = renderAdReportHtml(sampleReportAnalysis({ days: 31 }), fixed);
    expect(campaignsNotCharted).toBe(0);
    for (const id of [null, '1000', '1001', '1002']) {
      const svg = figure(html, id);
      expect(svg).toBeDefined();
      expect(svg).toContain('data-days="31"');
      const range = Array.from({ length: 31 }, (_, i) => i);
      for (const series of [0, 1, 2]) expect(points(svg as string, series)).toEqual(range);
    }
  });

  it('marks anomaly days: a band over the run and a marker on each of its days, on the metric it concerns', () => {
    const { html } = renderAdReportHtml(sampleReportAnalysis(), fixed);
    const svg = figure(html, '1000') as string;
    // Series 3 and 4: the conversions and CPA anomaly series (three days each), with a band each.
    expect(points(svg, 3)).toEqual([0, 1, 2]);
    expect(points(svg, 4)).toEqual([0, 1, 2]);
    expect(svg.match(/<polygon /g)).toHaveLength(2);
    expect(figure(html, '1002')).not.toContain('<polygon ');
  });

  it('charts only the N most costly campaigns and says how many are not charted; tables list all', () => {
    const analysis = sampleReportAnalysis({ campaigns: 25, days: 7 });
    const { html, campaignsNotCharted } = renderAdReportHtml(analysis, fixed);
    expect(campaignsNotCharted).toBe(5);
    expect(html.match(/<figure class="daily-chart" data-campaign-id=/g)).toHaveLength(20);
    // Campaign i costs more the higher i is: 1005…1024 charted, 1000…1004 not.
    expect(figure(html, '1024')).toBeDefined();
    expect(figure(html, '1005')).toBeDefined();
    expect(figure(html, '1004')).toBeUndefined();
    expect(html).toContain('<p class="note">5 more campaigns are not charted (the report charts the 20 with the highest cost); all are in the tables.</p>');
    const one = renderAdReportHtml(analysis, { ...fixed, maxChartedCampaigns: 24 });
    expect(one.html).toContain('<p class="note">1 more campaign is not charted (the report charts the 24 with the highest cost); all are in the tables.</p>');
    expect(renderAdReportHtml(analysis, { ...fixed, maxChartedCampaigns: 1 }).html).toContain('24 more campaigns are not charted (the report charts the one with the highest cost)');
    expect(html.match(/<span class="id">10\d\d<\/span><\/th><td>ENABLED/g)).toHaveLength(25);

    const none = renderAdReportHtml(analysis, { ...fixed, maxChartedCampaigns: 0 });
    expect(none.campaignsNotCharted).toBe(25);
    expect(figure(none.html, null)).toBeDefined();
    expect(none.html).not.toContain('data-campaign-id=');
  });

  it('caps every table at maxTableRows and counts the rest', () => {
    const { html } = renderAdReportHtml(sampleReportAnalysis({ campaigns: 5 }), { ...fixed, maxTableRows: 2 });
    expect(html.match(/<span class="id">10\d\d<\/span><\/th><td>ENABLED/g)).toHaveLength(2);
    expect(html).toContain('3 more not shown (the report lists at most 2).');
  });

  it('formats money from micros in the account currency and shows null ratios as a dash', () => {
    const analysis = sampleReportAnalysis({ days: 2, campaigns: 1 });
    const eur = renderAdReportHtml(analysis, fixed).html;
    // Two days of 10.00 and 10.01 EUR.
    expect(eur).toContain('<th scope="row">Cost</th><td class="num">€20.01</td>');
    const zero = {
      ...analysis,
      summary: { ...analysis.summary, currency: 'JPY', totals: { ...analysis.summary.totals, cpaMicros: null, roas: null }, previousTotals: null },
    };
    const jpy = renderAdReportHtml(zero, fixed).html;
    expect(jpy).toContain('<th scope="row">Cost</th><td class="num">¥20</td>');
    expect(jpy).toContain('<th scope="row">CPA</th><td class="num">—</td><td class="num">—</td>');
    expect(jpy).toContain('<th scope="row">ROAS</th><td class="num">—</td>');
  });

  it('draws CPA with gaps on days without conversions and no point there', () => {
    const analysis = sampleReportAnalysis({ days: 5, campaigns: 1 });
    const series = analysis.daily.find((s) => s.campaignId === '1000');
    const withGap = { ...analysis, daily: [{ ...series!, cpaMicros: [1_000_000, null, null, 2_000_000, 3_000_000] }] };
    const svg = figure(renderAdReportHtml(withGap, fixed).html, '1000') as string;
    expect(points(svg, 0)).toEqual([0, 1, 2, 3, 4]);
    expect(points(svg, 2)).toEqual([0, 3, 4]);
  });

  it('heads the report with the days analysed, the period compared with, and when it was made (UTC, readable)', () => {
    const { html } = renderAdReportHtml(sampleReportAnalysis({ days: 31 }), { generatedAt: new Date('2026-11-30T23:52:27.456Z') });
    expect(html).toContain('· made 30 Nov 2026, 23:52 UTC</p>');
    expect(html).toContain('<p class="period">Days analysed: <strong>2024-01-01 – 2024-01-31</strong> (31 days), compared with 2023-12-01 – 2023-12-31 (31 days).</p>');
    // Asked as analysed, no notes: neither is mentioned.
    expect(html).not.toContain('The job asked for');
    expect(html).not.toContain('<ul class="notes">');
  });

  it('shows the job\'s range when the analysed one differs, and every note (escaped); charts cover only the analysed days', () => {
    const analysis = sampleReportAnalysis({ days: 31 });
    const cut = {
      ...analysis,
      summary: {
        ...analysis.summary,
        dateRange: { start: '2024-01-01', end: '2024-02-29' },
        analysedRange: { start: '2024-01-03', end: '2024-01-20' },
        previousRange: { start: '2023-12-16', end: '2024-01-02' },
        notes: ['The range was cut at yesterday (2024-01-20) in Europe/Berlin: later days are not complete yet.', 'A <note> & "more"'],
      },
    };
    const { html } = renderAdReportHtml(cut, fixed);
    expect(html).toContain('Days analysed: <strong>2024-01-03 – 2024-01-20</strong> (18 days), compared with 2023-12-16 – 2024-01-02 (18 days). The job asked for 2024-01-01 – 2024-02-29 (60 days).</p>');
    expect(html).toContain('<ul class="notes"><li>The range was cut at yesterday (2024-01-20) in Europe/Berlin: later days are not complete yet.</li><li>A &lt;note&gt; &amp; &quot;more&quot;</li></ul>');
    expect(html).toContain('<title>Ad analysis: Acme &lt;Shoes&gt; 2024-01-03 – 2024-01-20</title>');
    // The sample's series run 2024-01-01…31: each chart keeps the 18 analysed days only.
    for (const id of [null, '1000', '1001', '1002']) {
      const svg = figure(html, id) as string;
      expect(svg).toContain('data-days="18"');
      for (const series of [0, 1, 2]) expect(points(svg, series)).toEqual(Array.from({ length: 18 }, (_, i) => i));
    }
    // The CPA anomaly (2024-01-15…17) is inside: still marked on its three days.
    expect(points(figure(html, '1000') as string, 4)).toEqual([0, 1, 2]);
  });

  it('writes decreases with U+2212 (never a hyphen-minus before a number) and evidence under labels, in its unit', () => {
    const analysis = sampleReportAnalysis();
    const down = {
      ...analysis,
      summary: { ...analysis.summary, change: { ...analysis.summary.change, costMicros: { absolute: -1_500_000, relative: -0.076 } } },
      allRecommendations: [{ rule: 'cpa-spike', campaignId: '1000', title: 't', reason: 'r', evidence: { typicalCpaMicros: 3_020_000, utilisation: 1, medianExhaustedHour: 12, daysAtBudget: 31, factor: 3.04 } }],
    };
    const { html } = renderAdReportHtml(down, fixed);
    expect(html).toContain('<th scope="row">Cost</th>');
    expect(html).toMatch(/<th scope="row">Cost<\/th>.*<td class="num down">\u2212€1\.50<\/td><td class="num down">\u22127\.6%<\/td><\/tr>/);
    // Outside the SVG charts (whose path data has its own minus signs), no hyphen-minus before a digit.
    const text = html.replace(/<svg[\s\S]*?<\/svg>/g, '');
    expect(text).not.toMatch(/(?<![\w-])-\d/);
    expect(html).toContain(
      '<ul class="evidence"><li><span class="key">Typical CPA:</span> €3.02</li><li><span class="key">Budget used:</span> 100%</li><li><span class="key">Budget typically spent by:</span> 12:00</li><li><span class="key">Days at budget:</span> 31</li><li><span class="key">Peak vs typical:</span> 3.0×</li></ul>',
    );
    expect(html).not.toContain('typicalCpaMicros');
  });

  it('says "no comparison" (and names no period as compared) when previousTotals is null, as the notes do', () => {
    const analysis = sampleReportAnalysis({ days: 31 });
    const none = {
      ...analysis,
      summary: {
        ...analysis.summary,
        previousTotals: null,
        notes: ['No comparison with the previous period (2023-12-01..2023-12-31): it is older than the 37 months Meta keeps.'],
      },
    };
    const { html } = renderAdReportHtml(none, fixed);
    expect(html).toContain(
      '<p class="period">Days analysed: <strong>2024-01-01 – 2024-01-31</strong> (31 days); no comparison: there is no data for the previous period (2023-12-01 – 2023-12-31 (31 days)).</p>',
    );
    expect(html).not.toContain('compared with');
    expect(html).toContain('<th scope="col">Previous (no data)</th>');
    expect(html).toContain('<th scope="row">Cost</th><td class="num">€');
    // With previous totals, the column names their days.
    expect(renderAdReportHtml(analysis, fixed).html).toContain('<th scope="col">Previous (2023-12-01 – 2023-12-31)</th>');
  });

  it('words a one-day report in the singular: "(1 day)", the day alone instead of "X – X"', () => {
    const analysis = sampleReportAnalysis({ days: 1, campaigns: 1 });
    const { html } = renderAdReportHtml(analysis, fixed);
    expect(html).toContain('<p class="period">Days analysed: <strong>2024-01-01</strong> (1 day), compared with 2023-12-31 (1 day).</p>');
    expect(html).not.toMatch(/\b1 days\b/);
    expect(html).toContain('<th scope="col">Previous (2023-12-31)</th>');
    const asked = { ...analysis, summary: { ...analysis.summary, dateRange: { start: '2024-01-01', end: '2024-01-02' } } };
    expect(renderAdReportHtml(asked, fixed).html).toContain('(1 day), compared with 2023-12-31 (1 day). The job asked for 2024-01-01 – 2024-01-02 (2 days).</p>');
  });

  it('heads the anomaly table "From – to" (with the span in days) and "Days flagged" (days out of band, fewer when gaps were bridged)', () => {
    const analysis = sampleReportAnalysis({ days: 31 });
    const anomaly = analysis.allAnomalies[0]!;
    const wide = {
      ...analysis,
      allAnomalies: [
        anomaly,
        { ...anomaly, metric: 'cost' as const, startDate: '2024-01-02', endDate: '2024-01-30', days: 10 },
        { ...anomaly, metric: 'cost' as const, direction: 'down' as const, startDate: '2024-01-31', endDate: '2024-01-31', days: 1 },
      ],
    };
    const { html } = renderAdReportHtml(wide, fixed);
    expect(html).toContain(
      '<thead><tr><th scope="col">Where</th><th scope="col">Metric</th><th scope="col">Direction</th><th scope="col">From – to</th><th scope="col">Days flagged</th><th scope="col">Expected (median)</th>',
    );
    expect(html).not.toContain('>Length<');
    // Each day on one line (a narrow screen would break a day at its hyphens).
    const day = (date: string) => `<span class="day">${date}</span>`;
    expect(html).toContain(`<td>${day('2024-01-15')} – ${day('2024-01-17')} (3 days)</td><td class="num">3</td>`);
    expect(html).toContain(`<td>${day('2024-01-02')} – ${day('2024-01-30')} (29 days)</td><td class="num">10</td>`);
    expect(html).toContain(`<td>${day('2024-01-31')}</td><td class="num">1</td>`);
  });

  it('puts every table in a sideways-scrolling wrapper (narrow screens scroll the table, not the page)', () => {
    const { html } = renderAdReportHtml(sampleReportAnalysis(), fixed);
    expect(html.match(/<table /g)).toHaveLength(5);
    expect(html.match(/<div class="table-scroll"><table /g)).toHaveLength(5);
    expect(html.match(/<\/table><\/div>/g)).toHaveLength(5);
    expect(html).toMatch(/div\.table-scroll \{ overflow-x: auto;/);
  });
});
