import { JOB_CONTRACTS, queuePrefix, QUEUE_SLOT_GROUPS, redisSettingsFromEnv } from '@jobs/queue-contracts';
import { benchQueueFromEnv, SPREAD_JOBS, SPREAD_QUEUES } from './spread-jobs';

describe('spread jobs', () => {
  it('covers three queues of three slot groups, so they can land on three masters', () => {
    expect(new Set(SPREAD_QUEUES.map((queue) => QUEUE_SLOT_GROUPS[queue])).size).toBe(3);
    const redis = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: '127.0.0.1:7000' });
    expect(SPREAD_QUEUES.map((queue) => queuePrefix({ redis, prefix: 'spread' }, queue))).toEqual(['spread:{seo-audit}', 'spread:{ads}', 'spread:{workflow}']);
  });

  it.each(SPREAD_QUEUES)('gives %s a job of its own queue whose data and no-op result its contract accepts', (queue) => {
    const job = SPREAD_JOBS[queue];
    const contract = JOB_CONTRACTS[job.name];
    expect(contract.queue).toBe(queue);
    expect(contract.data.safeParse(job.data).error).toBeUndefined();
    // The kit's worker checks a handler's result against the contract before it completes the job.
    expect(contract.result.safeParse(job.result).error).toBeUndefined();
  });

  it('reads BENCH_QUEUE, seo by default, and refuses a queue outside the spread', () => {
    expect(benchQueueFromEnv({})).toBe('seo');
    expect(benchQueueFromEnv({ BENCH_QUEUE: 'ads' })).toBe('ads');
    expect(() => benchQueueFromEnv({ BENCH_QUEUE: 'voice' })).toThrow(/BENCH_QUEUE must be one of seo, ads, email, got "voice"/);
  });
});
