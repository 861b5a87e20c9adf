import { countPrefixKeys, deletePrefix, freePort, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { JobProducer } from './job-producer';
import { JobValidationError } from './errors';
import { redisSettingsFromEnv } from './redis-env';
import { resolveJobOptions } from './job-options';
import { CONTRACT_LIMITS } from './contracts/contract-limits';

// Once a queue is connected the producer does not serialise job data for its size check:
// BullMQ's `sizeLimit` measures the string it stores and throws before sending, and the producer
// turns that refusal into the JobValidationError naming the limit. Before the first connection
// the size is measured up front, so oversized data is a validation error even with Redis away.

const url = testRedisUrl();
const redis = redisSettingsFromEnv({ REDIS_URL: url });
/** 10 000 leads, each field within its own bound, about 2.8 MB in all. */
const leads = Array.from({ length: 10_000 }, (_, i) => ({ id: `lead-${i}`, company: 'c'.repeat(250) }));
const small = { userId: 'u', leads: leads.slice(0, 10), batchSize: 5 };
const large = { userId: 'u', leads, batchSize: 5 };
const LIMIT_MESSAGE = /\(root\): the job data is \d+ bytes as JSON; at most 2097152 \(CONTRACT_LIMITS\.MAX_JOB_DATA_BYTES\)/;

describe('JobProducer size limit on a connected queue (BullMQ measures, the producer names the limit)', () => {
  let prefix: string;
  let producer: JobProducer;

  beforeEach(async () => {
    prefix = uniquePrefix('size');
    producer = new JobProducer({ redis, prefix });
    await producer.add('LEAD_ENRICHMENT', small); // connected from here on
  });
  afterEach(async () => {
    await producer.close();
    await deletePrefix(url, prefix);
  });

  it('add refuses oversized data with a JobValidationError naming the size and the limit; nothing more stored', async () => {
    const keysBefore = await countPrefixKeys(url, prefix);
    const attempt = producer.add('LEAD_ENRICHMENT', large);
    await expect(attempt).rejects.toBeInstanceOf(JobValidationError);
    await expect(attempt).rejects.toThrow(LIMIT_MESSAGE);
    expect(await producer.getQueueStats('enrichment')).toMatchObject({ waiting: 1 });
    expect(await countPrefixKeys(url, prefix)).toBe(keysBefore);
  });

  it('addBulk names the index of the oversized job and adds none of the batch', async () => {
    const attempt = producer.addBulk('LEAD_ENRICHMENT', [{ data: small }, { data: large }, { data: small }]);
    await expect(attempt).rejects.toBeInstanceOf(JobValidationError);
    await expect(attempt).rejects.toThrow(/^jobs\[1\]: Invalid LEAD_ENRICHMENT job data: .*at most 2097152/);
    expect(await producer.getQueueStats('enrichment')).toMatchObject({ waiting: 1 });
  });

  it('other refusals are passed on unchanged', async () => {
    // A child of a parent that does not exist: BullMQ's add script refuses it.
    const attempt = producer.add('LEAD_ENRICHMENT', small, { parent: { id: 'no-such-parent', queue: `${prefix}:enrichment` } });
    await expect(attempt).rejects.not.toBeInstanceOf(JobValidationError);
    await expect(attempt).rejects.toThrow(/parent/i);
  });
});

describe('JobProducer size limit before the first connection', () => {
  it('oversized data is a JobValidationError even when Redis cannot be reached', async () => {
    const port = await freePort();
    const producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_PORT: String(port) }), producerTimeoutMs: 120_000 });
    try {
      await expect(producer.add('LEAD_ENRICHMENT', large)).rejects.toThrow(LIMIT_MESSAGE);
      await expect(producer.addBulk('LEAD_ENRICHMENT', [{ data: small }, { data: large }])).rejects.toThrow(/^jobs\[1\]: .*at most 2097152/);
    } finally {
      await producer.close();
    }
  });
});

describe('resolveJobOptions', () => {
  it('keeps sizeLimit at CONTRACT_LIMITS.MAX_JOB_DATA_BYTES whatever a job type asks (the producer relies on it)', () => {
    expect(resolveJobOptions(undefined, { sizeLimit: 10 }).sizeLimit).toBe(CONTRACT_LIMITS.MAX_JOB_DATA_BYTES);
    expect(resolveJobOptions({ attempts: 2 }, { sizeLimit: 10 * CONTRACT_LIMITS.MAX_JOB_DATA_BYTES }).sizeLimit).toBe(CONTRACT_LIMITS.MAX_JOB_DATA_BYTES);
  });

  it('returns a new object each call, defaults applied, with or without options', () => {
    const a = resolveJobOptions(undefined, { removeOnComplete: { count: 5 } });
    const b = resolveJobOptions(undefined, { removeOnComplete: { count: 5 } });
    expect(a).not.toBe(b);
    expect(a).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { count: 5 } });
    expect(resolveJobOptions({}, { removeOnComplete: { count: 5 } })).toEqual(a);
  });
});
