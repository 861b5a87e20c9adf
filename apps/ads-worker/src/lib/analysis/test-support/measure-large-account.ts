// Measures the analysis (and, with --report, the HTML report) of a large made-up account: not a
// test (numbers vary by machine), a script to size the worker. Run from the repo root:
//   TSX_TSCONFIG_PATH=tsconfig.base.json node --expose-gc --import tsx apps/ads-worker/src/lib/analysis/test-support/measure-large-account.ts [campaigns] [days] [--report] [--jobs=N]
// Prints CPU milliseconds of each step, the heap growth the step's data kept, and the process's
// peak resident set size. --jobs=N holds N jobs' fetched rows at once (a worker at concurrency N
// whose jobs have all fetched) and analyses and renders them one after the other; with
// --interleaved the N reports render at once through the yielding renderer, as the worker does. Rows are dense (every campaign spends every day) with small
// deterministic noise, previous period included, hourly cost for no day.
import { performance } from 'node:perf_hooks';
import type { DailyCampaignMetrics } from '../../ads-data';
import { renderAdReportHtml, renderAdReportHtmlYielding } from '../../report/render-ad-report-html';
import { analyseAdAccount } from '../analyse-ad-account';
import { addDays, daysOfRange } from '../day-range';

const args = process.argv.slice(2);
const campaignCount = Number(args.find((a) => /^\d+$/.test(a)) ?? 500);
const dayCount = Number(args.filter((a) => /^\d+$/.test(a))[1] ?? 1126);
const withReport = args.includes('--report');
const jobs = Number(args.find((a) => a.startsWith('--jobs='))?.slice(7) ?? 1);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function rows(start: string, days: number): DailyCampaignMetrics[] {
  const out: DailyCampaignMetrics[] = [];
  let seed = 1;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (const date of daysOfRange({ start, end: addDays(start, days - 1) })) {
    for (let c = 0; c < campaignCount; c++) {
      const cost = Math.round(50 + next() * 5) * 1_000_000;
      out.push({ campaignId: String(1000 + c), date, impressions: 1000, clicks: 50, costMicros: cost, conversions: 5, conversionValueMicros: cost * 2 });
    }
  }
  return out;
}

const start = '2022-01-01';
const range = { start, end: addDays(start, dayCount - 1) };
const previousRange = { start: addDays(start, -dayCount), end: addDays(start, -1) };
const makeInput = () => ({
  account: { platform: 'google' as const, accountId: '1', name: 'large', currency: 'EUR', timeZone: 'UTC' },
  campaigns: Array.from({ length: campaignCount }, (_, c) => ({ campaignId: String(1000 + c), name: `campaign ${c}`, status: 'ENABLED', dailyBudgetMicros: 100_000_000 })),
  range,
  previousRange,
  current: rows(range.start, dayCount),
  previous: rows(previousRange.start, dayCount),
  hourly: [],
});
const inputs = Array.from({ length: jobs }, makeInput);
const input = inputs[0];
gc();
const baseHeap = process.memoryUsage().heapUsed;
const cpu0 = process.cpuUsage();
let t = performance.now();
const analysis = analyseAdAccount(input);
const analysisMs = performance.now() - t;
const cpu1 = process.cpuUsage(cpu0);
gc();
const afterAnalysisHeap = process.memoryUsage().heapUsed;
let reportMs = 0;
let htmlBytes = 0;
if (withReport) {
  t = performance.now();
  htmlBytes = Buffer.byteLength(renderAdReportHtml(analysis).html);
  reportMs = performance.now() - t;
}
async function finish(): Promise<void> {
  if (args.includes('--interleaved')) {
    const more = inputs.slice(1).map((other) => analyseAdAccount(other));
    await Promise.all(more.map((a) => (withReport ? renderAdReportHtmlYielding(a) : null)));
  } else {
    for (const other of inputs.slice(1)) {
      const more = analyseAdAccount(other);
      if (withReport) renderAdReportHtml(more);
    }
  }
  const mb = (n: number) => Math.round(n / 1024 / 1024);
  console.log(
    JSON.stringify({
      jobs,
      campaigns: campaignCount,
      days: dayCount,
      rowsPerPeriod: input.current.length,
      analysisWallMs: Math.round(analysisMs),
      analysisCpuMs: Math.round((cpu1.user + cpu1.system) / 1000),
      analysisKeptHeapMB: mb(afterAnalysisHeap - baseHeap),
      reportWallMs: Math.round(reportMs),
      htmlKiB: Math.round(htmlBytes / 1024),
      inputHeapMB: mb(baseHeap),
      peakRssMB: mb(process.resourceUsage().maxRSS * 1024),
    }),
  );
}

void finish();
