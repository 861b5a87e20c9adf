import { Job } from 'bullmq';
import { countPrefixKeys, deletePrefix, freePort, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { JobProducer } from './job-producer';
import { addSeoAuditJob, closeQueues, configureProducers, getQueueStats } from './producers';
import { InvalidJobOptionsError, JobValidationError, QueueUnavailableError } from './errors';
import { redisSettingsFromEnv } from './redis-env';
import { JOB_CONTRACTS } from './job-registry';
import { JOB_NAMES } from './job-names';
import { CONTRACT_LIMITS } from './contracts/contract-limits';

/** An object nested `depth` levels deep: `{ a: { a: ... } }`. */
function deep(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let i = 1; i < depth; i++) node = node['a'] = {} as Record<string, unknown>;
  return root;
}

const url = testRedisUrl();
const redis = redisSettingsFromEnv({ REDIS_URL: url });

describe('JobProducer', () => {
  let prefix: string;
  let producer: JobProducer;

  beforeEach(() => {
    prefix = uniquePrefix('producer');
    producer = new JobProducer({ redis, prefix });
  });
  afterEach(async () => {
    await producer.close();
    await deletePrefix(url, prefix);
  });

  it('applies the design defaults: 3 attempts, exponential backoff from 2000 ms, failed kept 7 days, completed trimmed', async () => {
    const job = await producer.add('SEO_AUDIT', { userId: 'u1', websiteUrl: 'https://example.com' });
    const stored = await Job.fromId(producer.queue('seo'), job.id!);
    expect(stored!.opts).toMatchObject({
      attempts: 3,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnFail: { age: 7 * 24 * 3600 },
      // SEO results are large: the seo contract keeps 100 completed jobs instead of 1000.
      removeOnComplete: { age: 24 * 3600, count: 100 },
    });
    const sync = await producer.add('EMAIL_SYNC', { userId: 'u', accountId: 'a', emailProvider: 'gmail' });
    expect((await Job.fromId(producer.queue('email'), sync.id!))!.opts.removeOnComplete).toEqual({ age: 24 * 3600, count: 1000 });
    // zod defaults are applied before the job is stored, so the worker sees the same values.
    expect(stored!.data).toEqual({ userId: 'u1', websiteUrl: 'https://example.com', depth: 2, includeCompetitors: false });
  });

  it('honours delay, priority, attempts and jobId', async () => {
    const job = await producer.add(
      'VOICE_CALL',
      { userId: 'u', callId: 'c', phoneNumber: '+14155550123', assistantId: 'a' },
      { delay: 5000, priority: 7, attempts: 9, jobId: 'call-c' },
    );
    expect(job.id).toBe('call-c');
    const stored = await Job.fromId(producer.queue('voice'), 'call-c');
    expect(stored!.opts).toMatchObject({ delay: 5000, priority: 7, attempts: 9 });
    expect(await stored!.getState()).toBe('delayed');
    expect(job.alreadyExisted).toBe(false);
  });

  it('refuses bad data naming the field, and nothing reaches Redis', async () => {
    const attempt = producer.add('EMAIL_SYNC', {
      userId: 'u',
      accountId: '',
      emailProvider: 'yahoo' as 'gmail',
      syncSince: 'not a date' as unknown as Date,
    });
    await expect(attempt).rejects.toBeInstanceOf(JobValidationError);
    await expect(attempt).rejects.toThrow(/accountId: must not be empty/);
    await expect(attempt).rejects.toThrow(/emailProvider: /);
    await expect(attempt).rejects.toThrow(/syncSince: must be a date/);
    await expect(
      producer.add('LEAD_ENRICHMENT', { userId: 'u', leads: [{ id: 'l1' }, { id: 42 as unknown as string }], batchSize: 0 }),
    ).rejects.toThrow(/leads\.1\.id: .*; batchSize: /);
    expect(await countPrefixKeys(url, prefix, { ignoreQueueMeta: true })).toBe(0);
  });

  it('refuses a job whose data exceeds the total bound before Redis, naming the limit; sets BullMQ sizeLimit', async () => {
    // 10 000 leads, each field within its own bound, about 2.8 MB in all.
    const leads = Array.from({ length: 10_000 }, (_, i) => ({ id: `lead-${i}`, company: 'c'.repeat(250) }));
    const attempt = producer.add('LEAD_ENRICHMENT', { userId: 'u', leads, batchSize: 5 });
    await expect(attempt).rejects.toBeInstanceOf(JobValidationError);
    await expect(attempt).rejects.toThrow(/\(root\): the job data is \d+ bytes as JSON; at most 2097152 \(CONTRACT_LIMITS\.MAX_JOB_DATA_BYTES\)/);
    await expect(producer.addBulk('LEAD_ENRICHMENT', [{ data: { userId: 'u', leads: leads.slice(0, 10), batchSize: 5 } }, { data: { userId: 'u', leads, batchSize: 5 } }])).rejects.toThrow(
      /^jobs\[1\]: .*at most 2097152/,
    );
    expect(await countPrefixKeys(url, prefix, { ignoreQueueMeta: true })).toBe(0);
    const ok = await producer.add('LEAD_ENRICHMENT', { userId: 'u', leads: leads.slice(0, 10), batchSize: 5 });
    expect((await Job.fromId(producer.queue('enrichment'), ok.id!))!.opts.sizeLimit).toBe(CONTRACT_LIMITS.MAX_JOB_DATA_BYTES);
  });

  it.each([
    ['metadata of 5 MB', { metadata: { blob: 'x'.repeat(5 * 1024 * 1024) } }, /metadata: must be at most 16384 bytes as JSON/],
    ['metadata 10 000 levels deep', { metadata: deep(10_000) }, /metadata: must be plain JSON: nested more than 32 levels deep/],
    ['an unknown field nesting 10 000 levels', { extra: deep(10_000) }, /\(root\): Unrecognized key: "extra"/],
  ])('refuses %s with a JobValidationError naming the field (never a RangeError), nothing stored', async (_, extra, message) => {
    const attempt = producer.add('VOICE_CALL', { userId: 'u', callId: 'c', phoneNumber: '+14155550123', assistantId: 'a', ...extra } as never);
    await expect(attempt).rejects.toBeInstanceOf(JobValidationError);
    await expect(attempt).rejects.toThrow(message);
    expect(await countPrefixKeys(url, prefix, { ignoreQueueMeta: true })).toBe(0);
  });

  it('refuses "call me maybe" as a phone number, naming phoneNumber', async () => {
    await expect(producer.add('VOICE_CALL', { userId: 'u', callId: 'c', phoneNumber: 'call me maybe', assistantId: 'a' })).rejects.toThrow(
      /phoneNumber: must be a phone number in international format/,
    );
  });

  it('refuses a typo such as depht naming it, instead of dropping it', async () => {
    await expect(producer.add('SEO_AUDIT', { userId: 'u', websiteUrl: 'https://example.com', depht: 3 } as never)).rejects.toThrow(
      /Invalid SEO_AUDIT job data: \(root\): Unrecognized key: "depht"/,
    );
    expect(await countPrefixKeys(url, prefix, { ignoreQueueMeta: true })).toBe(0);
  });

  it.each([
    ['12345', /jobId: must not be an integer/],
    ['-5', /jobId: must not be an integer/],
    ['   ', /jobId: must not be blank/],
    ['user:1', /jobId: must not contain ":"/],
  ])('refuses jobId %s and says why', async (jobId, why) => {
    const attempt = producer.add('SEO_AUDIT', { userId: 'u', websiteUrl: 'https://example.com' }, { jobId });
    await expect(attempt).rejects.toBeInstanceOf(InvalidJobOptionsError);
    await expect(attempt).rejects.toThrow(why);
    expect(await countPrefixKeys(url, prefix, { ignoreQueueMeta: true })).toBe(0);
  });

  it('refuses unknown options instead of ignoring them', async () => {
    await expect(
      producer.add('SEO_AUDIT', { userId: 'u', websiteUrl: 'https://example.com' }, { priorty: 2 } as never),
    ).rejects.toThrow(/Unrecognized key.*priorty/);
  });

  it('adds in bulk atomically: one bad job and none is added', async () => {
    const good = { data: { userId: 'u', websiteUrl: 'https://a.example' } };
    await expect(
      producer.addBulk('SEO_AUDIT', [good, { data: { userId: 'u', websiteUrl: 'ftp://b.example' } }]),
    ).rejects.toThrow(/^jobs\[1\]: Invalid SEO_AUDIT job data: websiteUrl/);
    expect(await countPrefixKeys(url, prefix, { ignoreQueueMeta: true })).toBe(0);
    const jobs = await producer.addBulk('SEO_AUDIT', [good, { ...good, opts: { priority: 2 } }]);
    expect(jobs).toHaveLength(2);
    expect((await producer.getQueueStats('seo')).waiting).toBe(2);
  });

  it('refuses stats of an unknown queue', async () => {
    await expect(producer.getQueueStats('bogus' as never)).rejects.toThrow(/Unknown queue "bogus": expected one of email, /);
  });

  it('reports stats per queue, with paused from the queue itself', async () => {
    // Three triggers: the same trigger twice would be one run, one job.
    await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't1', context: {} });
    await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't2', context: {} }, { delay: 60_000 });
    await producer.add('WORKFLOW_EXECUTION', { userId: 'u', workflowId: 'w', triggerId: 't3', context: {} }, { priority: 3 });
    expect(await producer.getQueueStats('workflow')).toEqual({
      waiting: 2,
      active: 0,
      completed: 0,
      failed: 0,
      delayed: 1,
      paused: false,
    });
    await producer.queue('workflow').pause();
    expect((await producer.getQueueStats('workflow')).paused).toBe(true);
    const all = await producer.getAllQueueStats();
    expect(Object.keys(all).sort()).toEqual(['ads', 'email', 'enrichment', 'seo', 'voice', 'workflow']);
    expect(all.workflow.paused).toBe(true);
    expect(all.email).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0, paused: false });
  });
});

describe('module-level producers', () => {
  it('keep their configuration across closeQueues()', async () => {
    const prefix = uniquePrefix('module');
    await configureProducers({ redis, prefix });
    try {
      await addSeoAuditJob({ userId: 'u', websiteUrl: 'https://example.com' });
      await closeQueues();
      await addSeoAuditJob({ userId: 'u', websiteUrl: 'https://example.com' });
      expect((await getQueueStats('seo')).waiting).toBe(2);
    } finally {
      await closeQueues();
      await deletePrefix(url, prefix);
    }
  });
});

describe('JobProducer with Redis down', () => {
  it('fails fast with QueueUnavailableError instead of hanging, and closes', async () => {
    const port = await freePort();
    const producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_PORT: String(port) }), producerTimeoutMs: 500 });
    await expect(producer.add('SEO_AUDIT', { userId: 'u', websiteUrl: 'https://example.com' })).rejects.toBeInstanceOf(
      QueueUnavailableError,
    );
    // The refusal itself is the reason given (not a timeout), so no clock needs reading here.
    await expect(producer.getQueueStats('seo')).rejects.toThrow(/is unavailable \(connect\): .*ECONNREFUSED/);
    await producer.close();
  });
});

describe('contracts', () => {
  const samples: Record<keyof typeof JOB_CONTRACTS, unknown> = {
    EMAIL_SYNC: { userId: 'u', accountId: 'a', emailProvider: 'outlook', syncSince: new Date('2024-03-01T10:00:00Z') },
    EMAIL_DRAFT: { userId: 'u', accountId: 'a', emailProvider: 'gmail', threadId: 't', context: 'c', tone: 'friendly' },
    VOICE_CALL: { userId: 'u', callId: 'c', phoneNumber: '+14155550123', assistantId: 'a', metadata: { n: 1, s: 'x' } },
    LEAD_ENRICHMENT: { userId: 'u', leads: [{ id: 'l', email: 'a@b.example' }], batchSize: 5 },
    WORKFLOW_EXECUTION: { userId: 'u', workflowId: 'w', triggerId: 't', context: { a: [1, 2] }, runId: 'run-1' },
    WORKFLOW_STEP_DEADLINE: { runId: 'run-1', runJobId: 'wfrun-run-1', stepId: 'enrich', childQueue: 'enrichment', childJobId: 'wf-run-1-enrich-2' },
    SEO_AUDIT: { userId: 'u', websiteUrl: 'https://example.com', depth: 1, competitorUrls: ['https://b.example'] },
    AD_ANALYSIS: {
      userId: 'u',
      platform: 'meta',
      accountId: 'act_1',
      dateRange: { start: new Date('2024-01-01'), end: '2024-01-31' },
    },
  };

  it.each(Object.values(JOB_NAMES))('%s data survives the JSON round trip through Redis unchanged', (name) => {
    const schema = JOB_CONTRACTS[name].data;
    const parsed = schema.parse(samples[name]);
    const reparsed = schema.parse(JSON.parse(JSON.stringify(parsed)));
    expect(reparsed).toEqual(parsed);
  });

  it.each(['2024-02-31', '31/01/2024', 'yesterday'])('refuses the date %s instead of rolling it over', (bad) => {
    const result = JOB_CONTRACTS.EMAIL_SYNC.data.safeParse({ ...(samples.EMAIL_SYNC as object), syncSince: bad });
    expect(result.success).toBe(false);
    expect(new JobValidationError('EMAIL_SYNC', result.error!).message).toMatch(/syncSince: must be a date/);
  });

  it.each([['2024-02-29', '2024-02-29T00:00:00.000Z'], ['2024-01-31T10:00:00+02:00', '2024-01-31T08:00:00.000Z']])(
    'reads the date %s',
    (good, iso) => {
      const parsed = JOB_CONTRACTS.EMAIL_SYNC.data.parse({ ...(samples.EMAIL_SYNC as object), syncSince: good });
      expect(parsed.syncSince!.toISOString()).toBe(iso);
    },
  );

  it('names nested fields in errors', () => {
    const result = JOB_CONTRACTS.AD_ANALYSIS.data.safeParse({
      ...(samples.AD_ANALYSIS as object),
      dateRange: { start: '2024-02-01', end: '2024-01-01' },
    });
    expect(result.success).toBe(false);
    expect(new JobValidationError('AD_ANALYSIS', result.error!).message).toMatch(/dateRange\.start: must not be after dateRange\.end/);
  });
});
