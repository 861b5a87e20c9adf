// End to end through the REAL BUILT command: `enqueue` validates through the contracts and
// enqueues nothing it refuses.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { countPrefixKeys, deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { runBuiltCli } from '../test-support/run-built-cli';

const url = testRedisUrl();
const prefix = uniquePrefix('cli-enqueue');
const dir = mkdtempSync(join(tmpdir(), 'jobs-cli-enqueue-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const cli = (args: string[], input?: string) => runBuiltCli(['--prefix', prefix, ...args], { input });
let connection: Redis;
let seo: Queue;

beforeAll(() => {
  connection = new Redis(url, { maxRetriesPerRequest: null });
  seo = new Queue('seo', { connection, prefix });
});
afterAll(async () => {
  await seo.close();
  await deletePrefix(url, prefix);
  connection.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('jobs enqueue', () => {
  it('adds a job whose data the contract parsed (defaults applied) and prints its id and queue', async () => {
    const data = file('audit.json', JSON.stringify({ userId: 'user_1', websiteUrl: 'https://example.com' }));
    const run = await cli(['enqueue', 'SEO_AUDIT', '--data', data, '--priority', '3', '--attempts', '5']);
    expect(run.code).toBe(0);
    const id = /^enqueued SEO_AUDIT job (\S+) in queue seo$/.exec(run.stdout.trim())?.[1];
    expect(id).toBeDefined();
    const job = await seo.getJob(id!);
    expect(job!.data).toEqual({ userId: 'user_1', websiteUrl: 'https://example.com', depth: 2, includeCompetitors: false });
    expect(job!.opts).toMatchObject({ priority: 3, attempts: 5 });
  });

  it('reads standard input with --data -, and reports a taken --job-id as alreadyExisted (--json)', async () => {
    const input = JSON.stringify({ userId: 'user_2', websiteUrl: 'https://example.org', depth: 1 });
    const first = await cli(['enqueue', 'SEO_AUDIT', '--data', '-', '--job-id', 'audit-x', '--delay', '60000', '--json'], input);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ id: 'audit-x', name: 'SEO_AUDIT', queue: 'seo', alreadyExisted: false });
    expect(await seo.getJobState('audit-x')).toBe('delayed');
    const again = await cli(['enqueue', 'SEO_AUDIT', '--data', '-', '--job-id', 'audit-x'], input);
    expect(again).toMatchObject({ code: 0, stdout: 'job audit-x already existed in queue seo: nothing added (alreadyExisted)\n' });
  });

  it('bad data: exit 2, the message names the field, and nothing is enqueued', async () => {
    const own = new Queue('enrichment', { connection, prefix });
    try {
      const data = file('bad.json', JSON.stringify({ userId: 'user_1', websiteUrl: 'https://example.com', depth: 99 }));
      const bad = await runBuiltCli(['--prefix', prefix, 'enqueue', 'SEO_AUDIT', '--data', data]);
      expect(bad.code).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toMatch(/^jobs-cli: Invalid SEO_AUDIT job data: .*depth.*; nothing enqueued\n$/);
      const lead = file('lead.json', JSON.stringify({ leads: 'not-a-list' }));
      const badLead = await cli(['enqueue', 'LEAD_ENRICHMENT', '--data', lead]);
      expect(badLead.code).toBe(2);
      expect(badLead.stderr).toContain('Invalid LEAD_ENRICHMENT job data');
      expect(await own.getJobCountByTypes('wait', 'prioritized', 'delayed', 'active', 'completed', 'failed')).toBe(0);
      // No key at all under the enrichment queue but BullMQ's meta hash.
      expect(await countPrefixKeys(url, `${prefix}:enrichment`, { ignoreQueueMeta: false })).toBeLessThanOrEqual(1);
    } finally {
      await own.close();
    }
  });

  it('unknown or internal JOB_NAME, bad JSON, missing file, bad options: exit 2 with a clear line', async () => {
    const good = file('ok.json', '{"userId":"u","websiteUrl":"https://example.com"}');
    const unknown = await cli(['enqueue', 'SEND_FAX', '--data', good]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown job name "SEND_FAX": one of EMAIL_SYNC, EMAIL_DRAFT, VOICE_CALL, LEAD_ENRICHMENT, WORKFLOW_EXECUTION, SEO_AUDIT, AD_ANALYSIS');
    expect((await cli(['enqueue', 'WORKFLOW_STEP_DEADLINE', '--data', good])).stderr).toContain('added by the workflow worker itself');

    const broken = file('broken.json', '{\n  "userId": "u",\n  "websiteUrl": "https://example.com",\n}\n');
    const json = await cli(['enqueue', 'SEO_AUDIT', '--data', broken]);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain(`--data: ${broken} is not valid JSON: `);
    expect(json.stderr).toMatch(/at line 4, column 1 \(position \d+\)/);
    const missing = await cli(['enqueue', 'SEO_AUDIT', '--data', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: no such file');
    const badId = await cli(['enqueue', 'SEO_AUDIT', '--data', good, '--job-id', '123']);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('jobId');
    expect((await cli(['enqueue', 'SEO_AUDIT', '--data', good, '--priority', '0'])).code).toBe(2);
    expect((await cli(['enqueue', 'SEO_AUDIT'])).code).toBe(2); // --data is required
    expect(await seo.getJobCountByTypes('wait', 'prioritized', 'delayed')).toBe(2); // the two jobs of the tests above
  });
});
