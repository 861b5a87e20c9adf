import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import type { FailedJobFilter } from './failed-job-filter';
import { parseErrorPattern } from './parse-error-pattern';
import { selectFailedJobs } from './select-failed-jobs';
import { type FailedJobSpec, makeFailedJobs } from './test-support/make-failed-jobs';

const QUEUE = 'email';

/** Three waves of failures, apart in time; in each, two names and three kinds of reason. */
function wave(label: string, size: number): FailedJobSpec[] {
  const reasons = [`HTTP 503 from provider (${label})`, `timeout after 30s (${label})`, `invalid address (${label})`];
  return Array.from({ length: size }, (_, i) => ({ name: i % 2 === 0 ? 'EMAIL_SYNC' : 'EMAIL_DRAFT', reason: reasons[i % 3] }));
}

describe('selectFailedJobs (real Redis)', () => {
  const url = testRedisUrl();
  const prefix = uniquePrefix('cli-select');
  let connection: Redis;
  let queue: Queue;
  /** Every failed job: id, name, reason, finishedOn. */
  const all: { id: string; name: string; reason: string; at: number; wave: number }[] = [];

  beforeAll(async () => {
    connection = new Redis(url, { maxRetriesPerRequest: null });
    queue = new Queue(QUEUE, { connection, prefix });
    for (const [index, label] of ['a', 'b', 'c'].entries()) {
      const specs = wave(label, 60);
      const ids = await makeFailedJobs(url, prefix, QUEUE, specs);
      for (const [i, id] of ids.entries()) {
        const job = await queue.getJob(id);
        all.push({ id, name: specs[i].name, reason: specs[i].reason, at: Number(job?.finishedOn), wave: index });
      }
      // The next wave fails strictly later (finishedOn is the worker's Date.now()).
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  afterAll(async () => {
    await queue.close();
    connection.disconnect();
    await deletePrefix(url, prefix);
  });

  async function select(filter: FailedJobFilter, pageSize?: number): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of selectFailedJobs(queue, filter, pageSize)) ids.push(...page.map((job) => job.id));
    return ids;
  }
  const sorted = (ids: string[]) => [...ids].sort();

  it('without a filter picks every failed job once, oldest failure first', async () => {
    const ids = await select({});
    expect(sorted(ids)).toEqual(sorted(all.map((job) => job.id)));
    const at = new Map(all.map((job) => [job.id, job.at]));
    const times = ids.map((id) => at.get(id) ?? 0);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('picks by failure time: --failed-since inclusive, --failed-before exclusive', async () => {
    const waveB = all.filter((job) => job.wave === 1);
    const since = Math.min(...waveB.map((job) => job.at));
    const before = Math.min(...all.filter((job) => job.wave === 2).map((job) => job.at));
    expect(Math.max(...all.filter((job) => job.wave === 0).map((job) => job.at))).toBeLessThan(since);
    expect(sorted(await select({ failedSinceMs: since, failedBeforeMs: before }))).toEqual(sorted(waveB.map((job) => job.id)));
    expect(sorted(await select({ failedBeforeMs: since }))).toEqual(sorted(all.filter((job) => job.wave === 0).map((job) => job.id)));
  });

  it('picks by name, by reason, and by both with a time range, exactly', async () => {
    const drafts = all.filter((job) => job.name === 'EMAIL_DRAFT');
    expect(sorted(await select({ names: ['EMAIL_DRAFT'] }))).toEqual(sorted(drafts.map((job) => job.id)));
    const http5xx = all.filter((job) => /^HTTP 5\d\d/.test(job.reason));
    expect(sorted(await select({ errorMatches: parseErrorPattern('^HTTP 5\\d\\d') }))).toEqual(sorted(http5xx.map((job) => job.id)));
    const since = Math.min(...all.filter((job) => job.wave === 2).map((job) => job.at));
    const expected = all.filter((job) => job.wave === 2 && job.name === 'EMAIL_SYNC' && job.reason.startsWith('timeout'));
    expect(expected.length).toBeGreaterThan(0);
    const picked = await select({ failedSinceMs: since, names: ['EMAIL_SYNC', 'EMAIL_SYNC'], errorMatches: parseErrorPattern('^timeout') });
    expect(sorted(picked)).toEqual(sorted(expected.map((job) => job.id)));
  });

  it('stops at --limit with the oldest matches', async () => {
    const everyDraft = await select({ names: ['EMAIL_DRAFT'] });
    expect(await select({ names: ['EMAIL_DRAFT'], limit: 7 })).toEqual(everyDraft.slice(0, 7));
    expect(await select({ names: ['EMAIL_DRAFT'], limit: 7 }, 3)).toEqual(everyDraft.slice(0, 7));
  });

  it('pages through every failed job at any page size without losing or repeating one', async () => {
    for (const pageSize of [1, 2, 7, 50]) {
      const ids = await select({}, pageSize);
      expect(sorted(ids)).toEqual(sorted(all.map((job) => job.id)));
    }
  });

  it('pages through many jobs sharing a millisecond without losing or repeating one', async () => {
    // How many failures a worker puts in one ms depends on the machine's speed: here the middle
    // 30 of 60 failed jobs are given one failure time (the failed set's score, and finishedOn),
    // so pages run into, through and out of a same-millisecond run.
    const samePrefix = uniquePrefix('cli-select-same-ms');
    const sameQueue = new Queue(QUEUE, { connection, prefix: samePrefix });
    try {
      const ids = await makeFailedJobs(url, samePrefix, QUEUE, wave('same', 60));
      const run = ids.slice(15, 45);
      const at = Number(await connection.zscore(`${samePrefix}:${QUEUE}:failed`, run[0]));
      const multi = connection.multi();
      for (const id of run) {
        multi.zadd(`${samePrefix}:${QUEUE}:failed`, 'XX', at, id);
        multi.hset(`${samePrefix}:${QUEUE}:${id}`, 'finishedOn', at);
      }
      await multi.exec();
      expect(await connection.zcount(`${samePrefix}:${QUEUE}:failed`, at, at)).toBeGreaterThanOrEqual(30);
      expect(await connection.zcount(`${samePrefix}:${QUEUE}:failed`, '-inf', `(${at}`)).toBeGreaterThan(0);
      expect(await connection.zcount(`${samePrefix}:${QUEUE}:failed`, `(${at}`, '+inf')).toBeGreaterThan(0);
      for (const pageSize of [1, 2, 7, 50]) {
        const paged: string[] = [];
        for await (const page of selectFailedJobs(sameQueue, {}, pageSize)) paged.push(...page.map((job) => job.id));
        expect(sorted(paged)).toEqual(sorted(ids));
      }
    } finally {
      await sameQueue.close();
      await deletePrefix(url, samePrefix);
    }
  });
});
