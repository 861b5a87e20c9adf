import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Job } from 'bullmq';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { closeQueues, configureProducers } from './producers';
import { JobProducer } from './job-producer';
import { JOB_CONTRACTS } from './job-registry';
import { redisSettingsFromEnv } from './redis-env';
import { exampleModule } from '../test-support/example-module';
import { markdownCodeBlocks } from '../test-support/markdown-code-blocks';
import { recordProducerCalls } from '../test-support/record-producer-calls';
import { typeCheckFiles } from '../test-support/type-check-files';

// The seed README (the system we re-implement, as its users wrote it) is the contract with the
// web application: each producer call under "Available Job Types" and "Job Options" must
// type-check and enqueue verbatim, with every field kept. The blocks are read from the file at
// test time; the only rewrite is the seed's import path.
const repoRoot = resolve(__dirname, '../../../..');
const seedReadme = join(repoRoot, '..', 'shared', 'seed', 'background-jobs-README.md');
const SECTIONS = ['Available Job Types', 'Job Options'];

/**
 * The seed's "Job Options" block calls `addEmailSyncJob(data, {...})` with `data` left to the
 * reader: here it is the seed's own EMAIL_SYNC payload (from "Available Job Types").
 */
const JOB_OPTIONS_PRELUDE = `import { addEmailSyncJob } from '@jobs/queue-contracts';
const data: Parameters<typeof addEmailSyncJob>[0] = {
  userId: 'user_123',
  accountId: 'acc_456',
  emailProvider: 'gmail',
  syncSince: new Date('2024-01-01'),
};`;

function seedExamples(): { section: string; code: string }[] {
  const blocks = markdownCodeBlocks(readFileSync(seedReadme, 'utf8')).filter(
    (b) => b.lang === 'typescript' && SECTIONS.includes(b.section),
  );
  return blocks.map((b) => ({ section: b.section, code: b.code.replace(/from '\.\.\/_core\/queue';/g, "from '@jobs/queue-contracts';") }));
}

describe('seed README producer calls, verbatim', () => {
  const redis = redisSettingsFromEnv({ REDIS_URL: testRedisUrl() });
  const prefix = uniquePrefix('seed');
  const dir = mkdtempSync(join(tmpdir(), 'seed-examples-'));
  const examples = seedExamples();
  const files = examples.map((_, i) => join(dir, `example-${i}.ts`));

  beforeAll(() => {
    examples.forEach((example, i) => {
      const prelude = example.section === 'Job Options' ? JOB_OPTIONS_PRELUDE : '';
      writeFileSync(files[i], exampleModule(example.code, prelude));
    });
  });

  afterAll(async () => {
    await closeQueues();
    await deletePrefix(testRedisUrl(), prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds every producer call of the seed (one per job type, and the options example)', () => {
    expect(examples.map((e) => /await (\w+)\(/.exec(e.code)?.[1])).toEqual([
      'addEmailSyncJob',
      'addEmailDraftJob',
      'addVoiceCallJob',
      'addLeadEnrichmentJob',
      'addWorkflowExecutionJob',
      'addSeoAuditJob',
      'addAdAnalysisJob',
      'addEmailSyncJob',
    ]);
  });

  it('type-check against the contracts', () => {
    expect(typeCheckFiles(repoRoot, files)).toEqual([]);
  });

  it('enqueue, and Redis keeps every field of every call and every option', async () => {
    await configureProducers({ redis, prefix });
    const { calls, restore } = recordProducerCalls();
    try {
      for (const file of files) await (require(file) as { run: () => Promise<void> }).run();
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
      'EMAIL_SYNC',
    ]);
    const reader = new JobProducer({ redis, prefix });
    try {
      for (const call of calls) {
        const stored = await Job.fromId(reader.queue(JOB_CONTRACTS[call.name].queue), call.job!.id!);
        expect(stored?.name).toBe(call.name);
        // Every field of the call as the caller wrote it, after the JSON round trip Redis imposes
        // (Dates become ISO strings): nothing dropped, nothing renamed, nothing added.
        expect(stored!.data).toEqual(JSON.parse(JSON.stringify(call.data)));
        expect(call.job!.alreadyExisted).toBe(false);
      }
      const withOptions = calls[7];
      expect(withOptions.opts).toEqual({ delay: 5000, priority: 1, attempts: 5, jobId: 'unique_id' });
      const stored = (await Job.fromId(reader.queue('email'), 'unique_id'))!;
      expect(stored.opts).toMatchObject({ delay: 5000, priority: 1, attempts: 5 });
      expect(await stored.getState()).toBe('delayed');
    } finally {
      await reader.close();
    }
  });
});
