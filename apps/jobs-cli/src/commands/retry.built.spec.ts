import { existsSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { EXIT_CODES } from '../lib/exit-codes';
import { makeFailedJobs } from '../lib/failed-jobs/test-support/make-failed-jobs';
import { BUILT_CLI, runBuiltCli } from '../lib/failed-jobs/test-support/run-built-cli';

describe('jobs retry (the built CLI, real Redis)', () => {
  const url = testRedisUrl();
  let prefix: string;
  let connection: Redis;
  let queue: Queue;
  let jobs: { id: string; name: string; reason: string }[];

  beforeAll(() => expect(existsSync(BUILT_CLI)).toBe(true));

  beforeEach(async () => {
    prefix = uniquePrefix('cli-retry');
    connection = new Redis(url, { maxRetriesPerRequest: null });
    queue = new Queue('email', { connection, prefix });
    const reasons = ['HTTP 503 from Gmail', 'HTTP 401 from Gmail', 'timeout after 30s'];
    const specs = Array.from({ length: 30 }, (_, i) => ({ name: i % 2 === 0 ? 'EMAIL_SYNC' : 'EMAIL_DRAFT', reason: reasons[i % 3] }));
    const ids = await makeFailedJobs(url, prefix, 'email', specs);
    jobs = ids.map((id, i) => ({ id, ...specs[i] }));
  });

  afterEach(async () => {
    await queue.close();
    connection.disconnect();
    await deletePrefix(url, prefix);
  });

  const stateOf = async (id: string) => queue.getJobState(id);

  it('--name and --error-matches move only the matching jobs; --json parses', async () => {
    const expected = jobs.filter((job) => job.name === 'EMAIL_DRAFT' && /^HTTP 5\d\d/.test(job.reason)).map((job) => job.id);
    expect(expected.length).toBe(5);
    const run = await runBuiltCli(['retry', 'email', '--name', 'EMAIL_DRAFT', '--error-matches', '^HTTP 5\\d\\d', '--json'], url, prefix);
    expect(run.code).toBe(EXIT_CODES.ok);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ action: 'retry', dryRun: false, stopped: false, filter: { names: ['EMAIL_DRAFT'], errorMatches: '^HTTP 5\\d\\d' } });
    expect(report.totals).toEqual({ selected: 5, moved: 5, skipped: 0, errors: 0 });
    for (const job of jobs) expect([job.id, await stateOf(job.id)]).toEqual([job.id, expected.includes(job.id) ? 'waiting' : 'failed']);
  });

  it('--dry-run lists the jobs a filter picks and changes nothing', async () => {
    const run = await runBuiltCli(['retry', 'email', '--name', 'EMAIL_SYNC', '--error-matches', 'timeout', '--dry-run'], url, prefix);
    expect(run.code).toBe(EXIT_CODES.ok);
    expect(run.stdout).toMatch(/retry \(dry run, nothing changed\): 5 failed jobs would be re-run/);
    const listed = [...run.stdout.matchAll(/^ {2}email (\S+) EMAIL_SYNC timeout after 30s$/gm)].map((match) => match[1]).sort();
    expect(listed).toEqual(jobs.filter((job) => job.name === 'EMAIL_SYNC' && job.reason.startsWith('timeout')).map((job) => job.id).sort());
    expect(await queue.getFailedCount()).toBe(30);
  });

  it('masks secrets in the failure reasons it prints (JSON and table), while --error-matches sees the raw reason', async () => {
    const canary = 'canaryTokenValue1234567890';
    const [secret] = await makeFailedJobs(url, prefix, 'email', [{ name: 'EMAIL_SYNC', reason: `Gmail said 401 to Authorization: Bearer ${canary}` }]);
    const json = await runBuiltCli(['retry', 'email', '--error-matches', 'Bearer canaryToken\\w+', '--dry-run', '--json'], url, prefix);
    expect(json.code).toBe(EXIT_CODES.ok);
    const report = JSON.parse(json.stdout);
    expect(report.queues[0].jobs.map((job: { id: string }) => job.id)).toEqual([secret]);
    expect(report.queues[0].jobs[0].failedReason).toMatch(/^Gmail said 401 to Authorization: Bearer \*\*\*/);
    const table = await runBuiltCli(['retry', 'email', '--error-matches', 'Bearer canaryToken\\w+', '--dry-run'], url, prefix);
    expect(table.stdout).toMatch(/Bearer \*\*\*/);
    for (const run of [json, table]) expect(`${run.stdout}${run.stderr}`).not.toContain(canary);
  });

  it('explicit ids: moved, then exit 6 when none is failed; unknown id exit 3; bad regex exit 2 naming the option', async () => {
    const [a, b] = jobs;
    const first = await runBuiltCli(['retry', 'email', a.id, b.id], url, prefix);
    expect(first.code).toBe(EXIT_CODES.ok);
    expect(first.stdout).toMatch(/retry: 2 of 2 selected jobs moved back to wait/);
    expect([await stateOf(a.id), await stateOf(b.id)]).toEqual(['waiting', 'waiting']);

    const again = await runBuiltCli(['retry', 'email', a.id, b.id], url, prefix);
    expect(again.code).toBe(EXIT_CODES.conflict);
    expect(again.stderr).toMatch(/none of the jobs is failed/);
    expect(await queue.getWaitingCount()).toBe(2);

    const unknown = await runBuiltCli(['retry', 'email', jobs[2].id, '999999'], url, prefix);
    expect(unknown.code).toBe(EXIT_CODES.notFound);
    expect(unknown.stderr).toMatch(/no job 999999 in queue email/);
    expect(await stateOf(jobs[2].id)).toBe('failed');

    const badRegex = await runBuiltCli(['retry', 'email', '--error-matches', '(unclosed'], url, prefix);
    expect(badRegex.code).toBe(EXIT_CODES.usage);
    expect(badRegex.stderr).toMatch(/--error-matches: "\(unclosed" is not a valid regular expression/);
    expect(await queue.getFailedCount()).toBe(28);
  });
});
