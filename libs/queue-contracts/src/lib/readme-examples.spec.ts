import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Job } from 'bullmq';
import { configureProducers, closeQueues } from './producers';
import { JobProducer } from './job-producer';
import { JOB_CONTRACTS } from './job-registry';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { redisSettingsFromEnv } from './redis-env';
import { exampleModule } from '../test-support/example-module';
import { recordProducerCalls } from '../test-support/record-producer-calls';
import { typeCheckFiles } from '../test-support/type-check-files';

// The README's producer examples are the contract with the web application: this test takes
// the block between the README's markers as it stands, type-checks it against the real
// contracts, runs it against Redis and checks each call's job landed with its exact payload.
const repoRoot = resolve(__dirname, '../../../..');

function readmeExampleBlock(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const match = /<!-- producer-examples:start -->\s*```ts\n([\s\S]*?)```\s*<!-- producer-examples:end -->/.exec(readme);
  if (!match) throw new Error('README.md has no producer-examples block between its markers');
  return match[1];
}

describe('README producer examples', () => {
  const redis = redisSettingsFromEnv({ REDIS_URL: testRedisUrl() });
  const prefix = uniquePrefix('readme');
  // Outside the repo, removed afterwards: test runs leave nothing behind in the working tree.
  const dir = mkdtempSync(join(tmpdir(), 'readme-examples-'));
  const file = join(dir, 'examples.ts');

  beforeAll(() => {
    writeFileSync(file, exampleModule(readmeExampleBlock()));
  });

  afterAll(async () => {
    await closeQueues();
    await deletePrefix(testRedisUrl(), prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('type-check against the contracts', () => {
    expect(typeCheckFiles(repoRoot, [file])).toEqual([]);
  });

  it('enqueue every call with its exact payload and options', async () => {
    await configureProducers({ redis, prefix });
    const { calls, restore } = recordProducerCalls();
    try {
      const { run } = require(file) as { run: () => Promise<void> };
      await run();
    } finally {
      restore();
    }

    expect(calls.map((c) => c.name)).toEqual([
      'EMAIL_SYNC',
      'EMAIL_DRAFT',
      'VOICE_CALL',
      'LEAD_ENRICHMENT',
      'WORKFLOW_EXECUTION',
      'SEO_AUDIT',
      'AD_ANALYSIS',
    ]);
    const reader = new JobProducer({ redis, prefix });
    try {
      for (const call of calls) {
        const queue = reader.queue(JOB_CONTRACTS[call.name].queue);
        const stored = await Job.fromId(queue, call.job!.id!);
        expect(stored).toBeDefined();
        expect(stored!.name).toBe(call.name);
        // What the worker will read back: the payload after validation and a JSON round trip.
        const expected = JSON.parse(JSON.stringify(JOB_CONTRACTS[call.name].data.parse(call.data)));
        expect(stored!.data).toEqual(expected);
        const opts = call.opts ?? {};
        if (opts['jobId']) expect(stored!.id).toBe(opts['jobId']);
        if (opts['priority']) expect(stored!.opts.priority).toBe(opts['priority']);
        if (opts['delay']) expect(await stored!.getState()).toBe('delayed');
        expect(stored!.opts.attempts).toBe(opts['attempts'] ?? 3);
      }
      const email = await reader.getQueueStats('email');
      expect(email).toEqual({ waiting: 2, active: 0, completed: 0, failed: 0, delayed: 0, paused: false });
    } finally {
      await reader.close();
    }
  });
});
