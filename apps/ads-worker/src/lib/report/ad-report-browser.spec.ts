import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '@jobs/test-support';
import { DAILY_CHART_SERIES } from './render-daily-chart-svg';
import { renderAdReportHtml } from './render-ad-report-html';
import { REPORT_CONTENT_WIDTH_PX, REPORT_MIN_CHART_WIDTH_PX } from './report-styles';
import { MARKUP_CAMPAIGN_NAME, sampleReportAnalysis } from './test-support/sample-report-analysis';

// The report as a browser shows it: Debian's chromium (CI installs it, see .ci/run), driven by
// playwright-core, loads the HTML from a loopback server. The page must load nothing else, log
// no error (a CSP violation is one), and draw one point per day on a campaign's chart.

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

describe('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let server: TestServer;
  let dir: string;
  const html = renderAdReportHtml(sampleReportAnalysis({ days: 31, campaigns: 3 }), { generatedAt: new Date('2024-02-01T08:00:00Z') }).html;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`);
    dir = mkdtempSync(join(tmpdir(), 'ads-report-'));
    server = await startTestServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 60_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens with no other request and no console error, is screenshotted, and charts 31 points for 31 days', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    const address = server.url('/report.html');
    const response = await page.goto(address, { waitUntil: 'load' });
    expect(response?.ok()).toBe(true);

    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);

    // The campaign's cost panel: one symbol per day (data index 0…30), left to right.
    const cost = await page.$$eval(
      `figure[data-campaign-id="1000"] svg path[ecmeta_series_index="${DAILY_CHART_SERIES.cost}"]`,
      (paths) => paths.map((p) => ({ day: Number(p.getAttribute('ecmeta_data_index')), x: p.getBoundingClientRect().x, width: p.getBoundingClientRect().width })),
    );
    expect(cost.map((p) => p.day)).toEqual(Array.from({ length: 31 }, (_, i) => i));
    for (let i = 1; i < cost.length; i++) expect(cost[i]!.x).toBeGreaterThan(cost[i - 1]!.x);
    expect(cost.every((p) => p.width > 0)).toBe(true);
    expect(await page.getAttribute('figure[data-campaign-id="1000"]', 'data-days')).toBe('31');

    // Every chart takes the content's whole width (in a 1200 px window the page is at its widest:
    // the width the charts are drawn at), its height in the viewBox's proportion.
    const widths = await page.$$eval('figure.daily-chart svg', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        const content = svg.closest('section')!.getBoundingClientRect().width;
        const [, , w, h] = svg.getAttribute('viewBox')!.split(' ').map(Number);
        return { width: Math.round(box.width), content: Math.round(content), ratio: Math.round((box.height / box.width) * 1000), viewBoxRatio: Math.round((h! / w!) * 1000) };
      }),
    );
    expect(widths).toHaveLength(4);
    for (const w of widths) {
      expect(w.width).toBe(w.content);
      expect(w.width).toBe(REPORT_CONTENT_WIDTH_PX);
      expect(w.ratio).toBe(w.viewBoxRatio);
    }

    // Its anomalies (conversions down, CPA up, 2024-01-15…17): a band each, a marker on each day.
    const marks = await page.$$eval('figure[data-campaign-id="1000"] svg', ([svg]) => ({
      bands: svg!.querySelectorAll('polygon').length,
      markers: svg!.querySelectorAll('path[ecmeta_series_index="3"], path[ecmeta_series_index="4"]').length,
    }));
    expect(marks).toEqual({ bands: 2, markers: 6 });

    // The markup-looking campaign name is text: no element made of it, shown as written.
    expect(await page.$$('script, img, iframe, object, embed, link')).toHaveLength(0);
    expect(await page.textContent('figure[data-campaign-id="1001"] figcaption')).toBe(`${MARKUP_CAMPAIGN_NAME}1001`);

    expect(errors).toEqual([]);
    expect(requests).toEqual([address]);
    await page.close();
  });

  it('at a 480 px wide viewport: the page never scrolls sideways; wide tables and charts scroll inside their own box', async () => {
    const page = await browser.newPage({ viewport: { width: 480, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    expect((await page.goto(server.url('/report.html'), { waitUntil: 'load' }))?.ok()).toBe(true);
    const shot = join(dir, 'report-480.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);

    // Measured in the page, from its root element (the spec's types have no DOM globals).
    const layout = await page.$eval('html', (root) => {
      const doc = root.ownerDocument;
      const boxes = (selector: string) =>
        [...doc.querySelectorAll(selector)].map((el) => ({
          right: Math.ceil(el.getBoundingClientRect().right),
          scrolls: el.scrollWidth > el.clientWidth,
          overflowX: doc.defaultView!.getComputedStyle(el).overflowX,
        }));
      return {
        viewport: root.clientWidth,
        pageWidth: Math.max(root.scrollWidth, doc.body.scrollWidth),
        wrappers: boxes('div.table-scroll'),
        figures: boxes('figure.daily-chart'),
        svgWidths: [...doc.querySelectorAll('figure.daily-chart svg')].map((svg) => Math.round(svg.getBoundingClientRect().width)),
        tablesOutside: [...doc.querySelectorAll('table')].filter((t) => !t.parentElement?.matches('div.table-scroll')).length,
      };
    });
    // Nothing sticks out of the page: it is exactly the viewport wide.
    expect(layout.pageWidth).toBe(layout.viewport);
    expect(layout.tablesOutside).toBe(0);
    expect(layout.wrappers).toHaveLength(5);
    for (const box of [...layout.wrappers, ...layout.figures]) {
      expect(box.right).toBeLessThanOrEqual(layout.viewport);
      expect(box.overflowX).toBe('auto');
    }
    // The campaigns table (ten columns) is wider than the screen: its wrapper scrolls, not the page.
    expect(layout.wrappers.some((box) => box.scrolls)).toBe(true);
    // Charts keep a readable size (at least 640 px drawn), scrolling inside their figure.
    expect(layout.svgWidths).toHaveLength(4);
    for (const width of layout.svgWidths) expect(width).toBe(REPORT_MIN_CHART_WIDTH_PX);
    expect(layout.figures.every((box) => box.scrolls)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
