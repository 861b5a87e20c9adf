// QA's canaries (issue 12, finding 5) through the REAL BUILT command: a job whose NAME, data, logs,
// failure reason and stack carry secrets; `list` (table and --json) and `show` (text and --json)
// must print none of them.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { runBuiltCli } from '../test-support/run-built-cli';

const url = testRedisUrl();
const prefix = uniquePrefix('cli-mask');
const cli = (...args: string[]) => runBuiltCli(['--prefix', prefix, ...args]);

const SK = 'sk-canaryABCDEF0123456789xyz';
const GHP = 'ghp_canary0123456789abcdefghijklmnopqrstuv';
const TOKEN = 'canarytok0123456789';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlY2FuYXJ5';
const PASSWORD = 'hunter2canary';
const BEARER = 'canaryBearer0123456789';
const API_KEY = 'canaryApiKey0123456789';
const CANARIES = [SK, GHP, TOKEN, JWT, PASSWORD, BEARER, API_KEY];

let connection: Redis;
let queue: Queue;

beforeAll(async () => {
  connection = new Redis(url, { maxRetriesPerRequest: null });
  queue = new Queue('seo', { connection, prefix });
  const worker = new Worker(
    'seo',
    async (job) => {
      await job.log(`login with password=${PASSWORD} and ${GHP}`);
      await job.log(`callback https://example.com/hook?token=${TOKEN}`);
      const err = new Error(`upstream refused key ${SK} (jwt ${JWT})`);
      err.stack = `${err.message}\n    at call (apiKey=${API_KEY})`;
      throw err;
    },
    { connection, prefix, autorun: false },
  );
  const failed = new Promise((resolve) => worker.once('failed', resolve));
  await queue.add(`sync password=${PASSWORD} Bearer ${BEARER}`, { note: `token=${TOKEN}` }, { jobId: 'canary', attempts: 1 });
  void worker.run();
  await failed;
  await worker.close();
});

afterAll(async () => {
  await queue.close();
  await deletePrefix(url, prefix);
  connection.disconnect();
});

function expectNoCanary(text: string): void {
  for (const canary of CANARIES) expect(text).not.toContain(canary);
}

it('list (table): name and failure reason masked', async () => {
  const run = await cli('list', 'seo', 'failed', '--limit', '5');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('canary');
  expect(run.stdout).toContain('sync password=***');
  expectNoCanary(run.stdout + run.stderr);
});

it('list --json: name and failure reason masked', async () => {
  const run = await cli('list', 'seo', 'failed', '--json');
  expect(run.code).toBe(0);
  const [job] = JSON.parse(run.stdout);
  expect(job).toMatchObject({ id: 'canary', name: 'sync password=*** Bearer ***' });
  expect(job.failedReason).toContain('upstream refused key');
  expectNoCanary(run.stdout + run.stderr);
});

it('show (text and --json): name, data, logs, failure reason and stack masked', async () => {
  const text = await cli('show', 'canary', '--queue', 'seo');
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/name\s+sync password=\*\*\* Bearer \*\*\*/);
  expectNoCanary(text.stdout + text.stderr);
  const json = await cli('show', 'canary', '--json');
  expect(json.code).toBe(0);
  const details = JSON.parse(json.stdout);
  expect(details.logs).toHaveLength(2);
  expect(details.stacktrace[0]).toContain('apiKey=***');
  expectNoCanary(json.stdout + json.stderr);
});
