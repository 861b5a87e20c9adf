import { startWorkerTestBed, workflowData, type WorkerTestBed } from '../test-support/worker-test-bed';
import { PermanentJobError, RetryLaterError } from './job-errors';
import { registerSecrets } from './redact-secrets';

// What BullMQ stores as failedReason and stacktrace stays in Redis for days and is shown by any
// dashboard: a credential a provider echoes back, or one inside a URL, must not reach it.
describe('failure reasons and stack traces stored in Redis', () => {
  const CANARY = 'sk-canary-7f3a9c1e2b';
  let bed: WorkerTestBed;
  beforeAll(() => registerSecrets([CANARY]));
  beforeEach(async () => {
    bed = await startWorkerTestBed('redact');
  });
  afterEach(() => bed.close());

  /** The job's raw hash once it failed for good, and every log line as text. */
  const failWith = async (thrown: () => unknown) => {
    bed.start(
      {
        WORKFLOW_EXECUTION: async () => {
          throw await thrown();
        },
      },
      // A deferral uses an attempt at once, so all three kinds end failed on the first start.
      { RETRY_LATER_MAX_DEFERRALS: '0' },
    );
    const job = await bed.producer.add('WORKFLOW_EXECUTION', workflowData('w'), { attempts: 1 });
    await expect(job.waitUntilFinished(bed.events, 30_000)).rejects.toThrow();
    const hash = await bed.redis.hgetall(bed.rawQueue.toKey(job.id!));
    return { stored: `${hash['failedReason']}\n${hash['stacktrace']}`, hash, logs: JSON.stringify(bed.lines) };
  };

  it.each([
    ['a transient error', (e: Error) => e],
    ['a permanent error', (e: Error) => new PermanentJobError(e.message, { cause: e })],
    ['a deferral past its bound', (e: Error) => new RetryLaterError(10, e.message, { cause: e })],
  ])('%s echoing a registered secret in message, stack, a property and its cause', async (_kind, wrap) => {
    const cause = new Error(`upstream said: invalid key ${CANARY}`);
    const err = new Error(`401 from provider, you sent: Bearer ${CANARY} (raw: ${CANARY})`, { cause });
    Object.assign(err, { response: { body: `{"error":"bad key ${CANARY}"}` } });
    err.stack = `Error: token ${CANARY}\n    at provider (client.js:1:1)`;
    const { stored, hash, logs } = await failWith(() => wrap(err));
    expect(stored).not.toContain(CANARY);
    expect(hash['failedReason']).toContain('***');
    expect(logs).not.toContain(CANARY);
  });

  it('a URL with credentials in a failing request (fetch refuses it and names the URL)', async () => {
    const { stored, hash, logs } = await failWith(async () => {
      try {
        await fetch('http://auditor:canarypass-81c2@127.0.0.1:9/page');
      } catch (err) {
        return err;
      }
      return new Error('fetch did not refuse the URL');
    });
    expect(hash['failedReason']).toMatch(/auditor:\*\*\*@127\.0\.0\.1/);
    expect(stored).not.toContain('canarypass-81c2');
    expect(logs).not.toContain('canarypass-81c2');
  });
});
