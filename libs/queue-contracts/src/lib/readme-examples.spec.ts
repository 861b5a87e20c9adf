import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { Job } from 'bullmq';
import { configureProducers, closeQueues } from './producers';
import { JobProducer } from './job-producer';
import { JOB_CONTRACTS } from './job-registry';
import type { JobName } from './job-names';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { redisSettingsFromEnv } from './redis-env';

// The README's producer examples are the contract with the web application: this test takes
// the block between the README's markers as it stands, type-checks it against the real
// contracts, runs it against Redis and checks each call's job landed with its exact payload.
const repoRoot = resolve(__dirname, '../../../..');

function readmeExampleBlock(): { imports: string; body: string } {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const match = /<!-- producer-examples:start -->\s*```ts\n([\s\S]*?)```\s*<!-- producer-examples:end -->/.exec(readme);
  if (!match) throw new Error('README.md has no producer-examples block between its markers');
  const code = match[1];
  const importEnd = code.indexOf("from '@jobs/queue-contracts';") + "from '@jobs/queue-contracts';".length;
  return { imports: code.slice(0, importEnd), body: code.slice(importEnd) };
}

describe('README producer examples', () => {
  const redis = redisSettingsFromEnv({ REDIS_URL: testRedisUrl() });
  const prefix = uniquePrefix('readme');
  const dir = join(repoRoot, 'tmp', `readme-examples-${prefix}`);
  const file = join(dir, 'examples.ts');

  beforeAll(() => {
    const { imports, body } = readmeExampleBlock();
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${imports}\n\nexport async function runExamples(): Promise<void> {${body}}\n`);
  });

  afterAll(async () => {
    await closeQueues();
    await deletePrefix(testRedisUrl(), prefix);
  });

  it('type-check against the contracts', () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(repoRoot, 'tsconfig.base.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    });
    if (!config) throw new Error('tsconfig.base.json could not be read');
    const program = ts.createProgram([file], { ...config.options, noEmit: true, noUnusedLocals: false });
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file);
    const text = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(text).toEqual([]);
  });

  it('enqueue every call with its exact payload and options', async () => {
    await configureProducers({ redis, prefix });
    const calls: { name: JobName; data: unknown; opts: unknown; job?: Job }[] = [];
    const realAdd = JobProducer.prototype.add;
    const spy = jest.spyOn(JobProducer.prototype, 'add').mockImplementation(async function (this: JobProducer, name, data, opts) {
      const call: (typeof calls)[number] = { name, data, opts };
      calls.push(call);
      call.job = await realAdd.call(this, name, data, opts);
      return call.job;
    });
    try {
      const { runExamples } = require(file) as { runExamples: () => Promise<void> };
      await runExamples();
    } finally {
      spy.mockRestore();
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
        const opts = (call.opts ?? {}) as Record<string, unknown>;
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
