import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_QUEUE_NAMES } from '@jobs/queue-contracts';

const ROOT = resolve(__dirname, '..');
const DIR = 'docker/prometheus';
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Runs promtool from the repository root; fails the test with how to install it when missing. */
function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(
      "promtool is not installed: install Debian's `prometheus` package (`sudo apt-get install prometheus`, which " +
        'brings /usr/bin/promtool; .ci/run does this) to check the alert rules.',
    );
  }
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Metric names a file of rules or rule tests uses (recorded `queue:...` series excluded). */
function metricNamesIn(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<![\w:])bullmq_[a-z0-9_]+/g)].map((m) => m[0]))].sort();
}

/** Metric names the code registers: prom-client's `name: '...'` in the worker and exporter metrics. */
function exportedMetricNames(): string[] {
  const files = ['libs/worker-kit/src/lib/worker-metrics.ts', 'libs/worker-kit/src/lib/queue-depth/queue-depth-metrics.ts'];
  return files.flatMap((file) => [...read(file).matchAll(/name: '(bullmq_[a-z0-9_]+)'/g)].map((m) => m[1] as string));
}

// The alert rules are checked and unit-tested by Prometheus's own tool, and may only name series
// the code exports: a renamed metric breaks this test rather than silencing an alert.
describe('Prometheus rules (docker/prometheus)', () => {
  it('alerts.yml passes promtool check rules', () => {
    const { status, output } = promtool('check', 'rules', `${DIR}/alerts.yml`);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringMatching(/SUCCESS: \d+ rules found/) });
  });

  it('alerts.test.yml: every alert fires on its failing series and stays silent on healthy ones', () => {
    const { status, output } = promtool('test', 'rules', `${DIR}/alerts.test.yml`);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('every alert of alerts.yml is unit-tested in alerts.test.yml', () => {
    const alerts = [...read(`${DIR}/alerts.yml`).matchAll(/^\s+- alert: (\w+)$/gm)].map((m) => m[1]);
    const tested = new Set([...read(`${DIR}/alerts.test.yml`).matchAll(/^\s+alertname: (\w+)$/gm)].map((m) => m[1]));
    expect(alerts.length).toBeGreaterThanOrEqual(9);
    expect(alerts.filter((a) => !tested.has(a))).toEqual([]);
  });

  it('prometheus.yml passes promtool check config', () => {
    const { status, output } = promtool('check', 'config', `${DIR}/prometheus.yml`);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('is valid prometheus config file syntax') });
  });

  it('the scrape jobs the rules select by `job` are scrape jobs of prometheus.yml', () => {
    // BullMQWorkerMetricsDown reads `up` of the workers' scrape job: a renamed job would silence it.
    const jobs = [...read(`${DIR}/prometheus.yml`).matchAll(/job_name: ([\w-]+)/g)].map((m) => m[1]);
    const selected = [...read(`${DIR}/alerts.yml`).matchAll(/\bjob="([^"]+)"/g)].map((m) => m[1]);
    expect(selected).toContain('jobs-workers');
    expect(selected.filter((job) => !jobs.includes(job))).toEqual([]);
  });

  it('the rules and their tests use only metric names the code exports', () => {
    const exported = exportedMetricNames();
    expect(exported).toEqual(expect.arrayContaining(['bullmq_jobs_completed_total', 'bullmq_queue_jobs', 'bullmq_queue_stats_up']));
    for (const file of [`${DIR}/alerts.yml`, `${DIR}/alerts.test.yml`]) {
      const used = metricNamesIn(read(file));
      expect(used.length).toBeGreaterThan(5);
      expect({ file, unknown: used.filter((name) => !exported.includes(name)) }).toEqual({ file, unknown: [] });
    }
  });

  it('the states the rules select are states the exporter labels', () => {
    const states = read('libs/worker-kit/src/lib/queue-depth/queue-depth-reading.ts');
    const listed = /QUEUE_DEPTH_STATES = \[([^\]]*)\]/.exec(states)?.[1] ?? '';
    const exported = [...listed.matchAll(/'([\w-]+)'/g)].map((m) => m[1]);
    const selected = [...read(`${DIR}/alerts.yml`).matchAll(/state=~?"([^"]+)"/g)].flatMap((m) => m[1].split('|'));
    expect(selected.length).toBeGreaterThan(0);
    expect(selected.filter((s) => !exported.includes(s))).toEqual([]);
  });

  it('the queues that per-queue rules name (windows, limits) are queues of ALL_QUEUE_NAMES', () => {
    // A renamed queue would otherwise fall back to the defaults without a word.
    const rules = read(`${DIR}/alerts.yml`);
    const named = [...rules.matchAll(/queue(?:!?=|: )"?([a-z-]+)"?/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThanOrEqual(3);
    expect(named.filter((q) => !(ALL_QUEUE_NAMES as readonly string[]).includes(q))).toEqual([]);
  });
});
