import type { IncomingMessage, ServerResponse } from 'node:http';
import { Job } from 'bullmq';
import { startTestServer, waitFor, type TestServer } from '@jobs/test-support';
import { startWorkerTestBed, workflowData, type WorkerTestBed } from '../../test-support/worker-test-bed';
import { RetryLaterError } from '../job-errors';
import { HttpAppTokenProvider } from './http-app-token-provider';
import { APP_TOKEN_SERVICE_MAX_RETRY_AFTER_MS, APP_TOKEN_SERVICE_MIN_RETRY_AFTER_MS } from './post-to-app-token-service';

// QA 7: a token endpoint that is busy and says for how long (429/503 + Retry-After) defers the
// job without using an attempt; one that does not say is a transient failure, as before.

const SECRET = 'made-up-busy-endpoint-secret';
const REF = { userId: 'user-1', accountId: 'acc-1', provider: 'google-ads' };

/** One loopback endpoint answering each request with the next of `answers` (the last one repeats). */
async function endpoint(answers: readonly { status: number; headers?: Record<string, string>; body?: string }[]): Promise<{ server: TestServer; requests: () => number }> {
  let n = 0;
  const server = await startTestServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const answer = answers[Math.min(n++, answers.length - 1)]!;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body ?? '{}');
    });
  });
  return { server, requests: () => n };
}

const provider = (url: string) =>
  new HttpAppTokenProvider({ url, secret: SECRET, secretVariable: 'ADS_TOKEN_SECRET', notConnected: () => new Error('not connected') });

describe('HttpAppTokenProvider: a busy token endpoint (loopback HTTP)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each([
    [429, '7', 7000],
    [503, '2.5', 2500],
    [429, '0', APP_TOKEN_SERVICE_MIN_RETRY_AFTER_MS],
    [503, '86400', APP_TOKEN_SERVICE_MAX_RETRY_AFTER_MS],
  ])('HTTP %i with Retry-After %s → RetryLaterError of %i ms, naming neither secret nor path', async (status, retryAfter, delayMs) => {
    const busy = await endpoint([{ status, headers: { 'retry-after': retryAfter } }]);
    server = busy.server;
    const failure = await provider(server.url('/internal/secret-path')).getGrant(REF, { forceRefresh: false }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(RetryLaterError);
    expect((failure as RetryLaterError).delayMs).toBe(delayMs);
    expect((failure as Error).message).toContain(`HTTP ${status}`);
    expect((failure as Error).message).not.toContain(SECRET);
    expect((failure as Error).message).not.toContain('secret-path');
  });

  it('reads an HTTP-date Retry-After as the wait until then', async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    const busy = await endpoint([{ status: 429, headers: { 'retry-after': at } }]);
    server = busy.server;
    const failure = (await provider(server.url('/tokens')).getGrant(REF, { forceRefresh: false }).catch((err: unknown) => err)) as RetryLaterError;
    expect(failure).toBeInstanceOf(RetryLaterError);
    // The date has whole seconds and the clock moves between answer and check: a range, not a duration.
    expect(failure.delayMs).toBeGreaterThan(60_000);
    expect(failure.delayMs).toBeLessThanOrEqual(120_000);
  });

  it.each([
    [429, undefined],
    [503, undefined],
    [429, 'soon'],
    [503, '-5'],
  ])('HTTP %i with Retry-After %s (absent or unreadable) → a plain, transient Error as before', async (status, retryAfter) => {
    const busy = await endpoint([{ status, headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter } }]);
    server = busy.server;
    const failure = await provider(server.url('/tokens')).getGrant(REF, { forceRefresh: false }).catch((err: unknown) => err);
    expect((failure as Error).constructor).toBe(Error);
    expect((failure as Error).message).toMatch(new RegExp(`HTTP ${status}`));
  });

  it('gives every caller waiting on the shared request the RetryLaterError, caches nothing, and asks again on the next call', async () => {
    const busy = await endpoint([{ status: 429, headers: { 'retry-after': '3' } }, { status: 200, body: JSON.stringify({ accessToken: 'fresh' }) }]);
    server = busy.server;
    const tokens = provider(server.url('/tokens'));
    const both = await Promise.all([0, 1].map(() => tokens.getGrant(REF, { forceRefresh: false }).catch((err: unknown) => err)));
    for (const failure of both) expect(failure).toEqual(expect.objectContaining({ name: 'RetryLaterError', delayMs: 3000 }));
    expect(busy.requests()).toBe(1);
    await expect(tokens.getAccessToken(REF, { forceRefresh: false })).resolves.toBe('fresh');
    expect(busy.requests()).toBe(2);
  });
});

describe('a job whose token endpoint is busy', () => {
  let bed: WorkerTestBed;
  let server: TestServer | undefined;
  beforeEach(async () => {
    bed = await startWorkerTestBed('tokenbusy');
  });
  afterEach(async () => {
    await bed.close();
    await server?.close();
    server = undefined;
  });

  it('waits out Retry-After without using an attempt, then completes', async () => {
    const busy = await endpoint([
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 503, headers: { 'retry-after': '1' } },
      { status: 200, body: JSON.stringify({ accessToken: 'tok' }) },
    ]);
    server = busy.server;
    const tokens = provider(server.url('/tokens'));
    const starts: number[] = [];
    bed.start({
      WORKFLOW_EXECUTION: async ({ job }) => {
        starts.push(job.attemptsMade);
        await tokens.getAccessToken(REF, { forceRefresh: false });
        return { runId: 'r', status: 'completed' as const, steps: [] };
      },
    });
    const job = await bed.rawQueue.add('WORKFLOW_EXECUTION', workflowData('w'), { attempts: 1 });
    await waitFor('the job to complete', async () => (await bed.rawQueue.getJobState(job.id!)) === 'completed', { timeoutMs: 30_000 });
    expect(starts).toEqual([0, 0, 0]);
    // BullMQ counts the attempt that completed; the two deferrals counted none.
    expect((await Job.fromId(bed.rawQueue, job.id!))!.attemptsMade).toBe(1);
    expect(busy.requests()).toBe(3);
    expect(bed.lines.filter((l) => l['msg'] === 'retrying later without using an attempt')).toHaveLength(2);
  }, 40_000);
});
