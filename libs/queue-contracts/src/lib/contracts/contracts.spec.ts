import { JOB_CONTRACTS } from '../job-registry';
import { JOB_NAMES, type JobName } from '../job-names';
import { JobValidationError } from '../errors';
import { CONTRACT_LIMITS } from './contract-limits';
import { AD_KPI_NAMES, adAnalysisResultSchema, MAX_RESULT_NOTE_CHARS, MAX_RESULT_NOTES } from './ads';

// The seed README's payloads, one per job type, as the web app sends them.
const seed: Record<JobName, Record<string, unknown>> = {
  EMAIL_SYNC: { userId: 'user_123', accountId: 'acc_456', emailProvider: 'gmail', syncSince: new Date('2024-01-01') },
  EMAIL_DRAFT: { userId: 'user_123', threadId: 'thread_789', context: 'Customer inquiry about pricing', tone: 'professional' },
  VOICE_CALL: { userId: 'user_123', callId: 'call_456', phoneNumber: '+1234567890', assistantId: 'assistant_789', metadata: { campaign: 'outbound_sales' } },
  LEAD_ENRICHMENT: {
    userId: 'user_123',
    leads: [
      { id: 'lead_1', email: 'john@example.com', company: 'Acme Corp' },
      { id: 'lead_2', email: 'jane@example.com', phone: '+1234567890' },
    ],
    batchSize: 5,
  },
  WORKFLOW_EXECUTION: { userId: 'user_123', workflowId: 'wf_456', triggerId: 'trigger_789', context: { leadId: 'lead_123', source: 'webhook' } },
  // Internal (the workflow worker adds it to itself): not in the seed README; a timer as the worker makes it.
  WORKFLOW_STEP_DEADLINE: { runId: 'run_1', runJobId: 'wfrun-run_1', stepId: 'call', childQueue: 'voice', childJobId: 'wf-run_1-call-1' },
  SEO_AUDIT: { userId: 'user_123', websiteUrl: 'https://example.com', depth: 3, includeCompetitors: true },
  AD_ANALYSIS: { userId: 'user_123', platform: 'google', accountId: 'acc_456', dateRange: { start: new Date('2024-01-01'), end: new Date('2024-01-31') } },
};

/** The message a producer (and a worker, on receipt) gives for `data`, or undefined when valid. */
function refusal(name: JobName, data: unknown): string | undefined {
  const result = JOB_CONTRACTS[name].data.safeParse(data);
  return result.success ? undefined : new JobValidationError(name, result.error).message;
}

/** An object nested `depth` levels deep: `{ a: { a: ... } }`. */
function nested(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let i = 1; i < depth; i++) {
    const child: Record<string, unknown> = {};
    node['a'] = child;
    node = child;
  }
  return root;
}

const FIVE_MB = 'x'.repeat(5 * 1024 * 1024);

describe('contracts accept the seed payloads', () => {
  it.each(Object.values(JOB_NAMES))('%s', (name) => {
    expect(refusal(name, seed[name])).toBeUndefined();
  });

  it('EMAIL_DRAFT still takes accountId and emailProvider when the app knows them', () => {
    expect(refusal('EMAIL_DRAFT', { ...seed.EMAIL_DRAFT, accountId: 'acc_456', emailProvider: 'outlook' })).toBeUndefined();
  });
});

describe('unknown fields are refused, naming them, in every contract', () => {
  it.each(Object.values(JOB_NAMES))('%s: a top-level typo', (name) => {
    expect(refusal(name, { ...seed[name], depht: 3 })).toMatch(/\(root\): Unrecognized key: "depht"/);
  });

  it.each([
    ['AD_ANALYSIS', { ...seed.AD_ANALYSIS, dateRange: { start: '2024-01-01', end: '2024-01-31', startDate: '2024-01-01' } }, /dateRange: Unrecognized key: "startDate"/],
    ['LEAD_ENRICHMENT', { ...seed.LEAD_ENRICHMENT, leads: [{ id: 'l1', email: 'a@b.example', linkedin: 'x' }] }, /leads\.0: Unrecognized key: "linkedin"/],
  ] as const)('%s: a nested one', (name, data, message) => {
    expect(refusal(name, data)).toMatch(message);
  });

  it('old field names are refused rather than dropped', () => {
    expect(refusal('WORKFLOW_EXECUTION', { ...seed.WORKFLOW_EXECUTION, triggerData: {} })).toMatch(/Unrecognized key: "triggerData"/);
    expect(refusal('AD_ANALYSIS', { ...seed.AD_ANALYSIS, adAccountId: 'x' })).toMatch(/Unrecognized key: "adAccountId"/);
  });
});

describe('phone numbers are checked for shape at the producer', () => {
  it.each(['call me maybe', '4155550123', '+1 415 555 0123 ext 9', '+999 1234567', '+1234567890123456', ''])(
    'refuses %j naming the field',
    (phoneNumber) => {
      expect(refusal('VOICE_CALL', { ...seed.VOICE_CALL, phoneNumber })).toMatch(/phoneNumber: must be a phone number in international format/);
      expect(refusal('LEAD_ENRICHMENT', { ...seed.LEAD_ENRICHMENT, leads: [{ id: 'l', phone: phoneNumber }] })).toMatch(
        /leads\.0\.phone: must be a phone number in international format/,
      );
    },
  );

  it.each(['+14155550123', '+1 (415) 555-0123', '+44 20 7183 8750', '+1234567890'])('accepts %j, kept as given', (phoneNumber) => {
    expect(JOB_CONTRACTS.VOICE_CALL.data.parse({ ...seed.VOICE_CALL, phoneNumber }).phoneNumber).toBe(phoneNumber);
  });
});

describe('size bounds name the field and the limit', () => {
  it.each([
    ['VOICE_CALL', { ...seed.VOICE_CALL, metadata: { note: FIVE_MB } }, /metadata: must be at most 16384 bytes as JSON/],
    ['WORKFLOW_EXECUTION', { ...seed.WORKFLOW_EXECUTION, context: { note: FIVE_MB } }, /context: must be at most 65536 bytes as JSON/],
    ['LEAD_ENRICHMENT', { ...seed.LEAD_ENRICHMENT, leads: [{ id: 'l', company: FIVE_MB }] }, /leads\.0\.company: Too big: expected string to have <=256 characters/],
    ['LEAD_ENRICHMENT', { ...seed.LEAD_ENRICHMENT, leads: [{ id: 'l', email: FIVE_MB }] }, /leads\.0\.email: Too big: .*<=254/],
    ['EMAIL_DRAFT', { ...seed.EMAIL_DRAFT, context: FIVE_MB }, /context: Too big: .*<=20000/],
    ['EMAIL_SYNC', { ...seed.EMAIL_SYNC, userId: FIVE_MB }, /userId: Too big: .*<=256/],
    ['SEO_AUDIT', { ...seed.SEO_AUDIT, websiteUrl: `https://example.com/${FIVE_MB}` }, /websiteUrl: Too big: .*<=2048/],
    ['AD_ANALYSIS', { ...seed.AD_ANALYSIS, campaignIds: Array.from({ length: 501 }, (_, i) => `${21000000000 + i}`) }, /campaignIds: Too big: .*<=500/],
  ] as const)('%s: %#', (name, data, message) => {
    expect(refusal(name, data)).toMatch(message);
  });

  it('every limit is a positive whole number', () => {
    for (const value of Object.values(CONTRACT_LIMITS)) expect(Number.isInteger(value) && value > 0).toBe(true);
  });
});

describe('JSON fields are plain JSON nested at most MAX_JSON_DEPTH levels', () => {
  it.each([
    ['VOICE_CALL', 'metadata'],
    ['WORKFLOW_EXECUTION', 'context'],
  ] as const)('%s.%s: 10 000 levels deep is a validation error naming the field, not a RangeError', (name, field) => {
    expect(refusal(name, { ...seed[name], [field]: nested(10_000) })).toMatch(new RegExp(`${field}: must be plain JSON: nested more than 32 levels deep`));
  });

  it('32 levels are accepted, 33 refused', () => {
    expect(refusal('WORKFLOW_EXECUTION', { ...seed.WORKFLOW_EXECUTION, context: nested(CONTRACT_LIMITS.MAX_JSON_DEPTH) })).toBeUndefined();
    expect(refusal('WORKFLOW_EXECUTION', { ...seed.WORKFLOW_EXECUTION, context: nested(CONTRACT_LIMITS.MAX_JSON_DEPTH + 1) })).toMatch(/context: /);
  });

  it('a cycle is refused as too deep instead of hanging', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(refusal('VOICE_CALL', { ...seed.VOICE_CALL, metadata: cyclic })).toMatch(/metadata: must be plain JSON: nested more than 32/);
  });

  it.each([
    [{ when: new Date() }, /metadata: must be plain JSON: when is a Date/],
    [{ n: Number.NaN }, /metadata: must be plain JSON: n is NaN/],
    [{ big: 1n }, /metadata: must be plain JSON: big is a bigint/],
    [{ gone: undefined }, /metadata: must be plain JSON: gone is undefined/],
    [[1, 2], /metadata: must be a JSON object/],
  ])('values JSON would change are refused: %#', (metadata, message) => {
    expect(refusal('VOICE_CALL', { ...seed.VOICE_CALL, metadata })).toMatch(message);
  });
});

describe('AD_ANALYSIS', () => {
  const withRange = (start: unknown, end: unknown) => ({ ...seed.AD_ANALYSIS, dateRange: { start, end } });

  it('refuses a start after the end naming dateRange.start', () => {
    expect(refusal('AD_ANALYSIS', withRange('2024-02-01', '2024-01-31'))).toMatch(/dateRange\.start: must not be after dateRange\.end/);
  });

  it('accepts a single day and exactly 1126 days; refuses 1127 naming dateRange and the limit', () => {
    expect(refusal('AD_ANALYSIS', withRange('2024-01-31', '2024-01-31'))).toBeUndefined();
    // 2021-01-01 + 1095 days (three 365-day years) = 2024-01-01; + 30 more = 2024-01-31.
    expect(refusal('AD_ANALYSIS', withRange('2021-01-01', '2024-01-31'))).toBeUndefined();
    expect(refusal('AD_ANALYSIS', withRange('2021-01-01', '2024-02-01'))).toMatch(/dateRange: spans 1127 days; at most 1126 \(about 37 months/);
  });

  it('refuses an unknown platform, and the old name google_ads', () => {
    expect(refusal('AD_ANALYSIS', { ...seed.AD_ANALYSIS, platform: 'tiktok' })).toMatch(/platform: /);
    expect(refusal('AD_ANALYSIS', { ...seed.AD_ANALYSIS, platform: 'google_ads' })).toMatch(/platform: /);
  });

  it('takes dates as calendar days: a Date at UTC midnight or YYYY-MM-DD; refuses other times of day', () => {
    const parsed = JOB_CONTRACTS.AD_ANALYSIS.data.parse(withRange(new Date('2024-01-01'), '2024-01-31'));
    expect(parsed.dateRange.end.toISOString()).toBe('2024-01-31T00:00:00.000Z');
    // What the worker reads back from Redis parses the same.
    expect(JOB_CONTRACTS.AD_ANALYSIS.data.parse(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
    expect(refusal('AD_ANALYSIS', withRange('2024-01-01T23:00:00Z', '2024-01-31'))).toMatch(/dateRange\.start: must be a calendar date/);
  });

  it('campaignIds: omitted means all; an empty list is refused (omit it instead)', () => {
    expect(refusal('AD_ANALYSIS', seed.AD_ANALYSIS)).toBeUndefined();
    expect(refusal('AD_ANALYSIS', { ...seed.AD_ANALYSIS, campaignIds: [] })).toMatch(/campaignIds: must name at least one campaign; omit campaignIds for all campaigns/);
  });

  it('campaignIds: digits only (Google int64, Meta numeric ids), trimmed; others refused naming campaignIds.<i>', () => {
    const parsed = JOB_CONTRACTS.AD_ANALYSIS.data.parse({ ...seed.AD_ANALYSIS, campaignIds: ['21000000001', ' 23851000000000001 '] });
    expect(parsed.campaignIds).toEqual(['21000000001', '23851000000000001']);
    // Leading zeros name the same number; dropped so both platforms match the campaign.
    expect(JOB_CONTRACTS.AD_ANALYSIS.data.parse({ ...seed.AD_ANALYSIS, campaignIds: ['021000000001', '0', '000'] }).campaignIds).toEqual(['21000000001', '0', '0']);
    for (const bad of ['campaign-1', 'abc', '12 34', '-1', '1.5', '', '1'.repeat(33)]) {
      expect(refusal('AD_ANALYSIS', { ...seed.AD_ANALYSIS, campaignIds: ['21000000001', bad] })).toMatch(/campaignIds\.1: must be a campaign id: digits only/);
    }
  });
});

describe('WORKFLOW_STEP_DEADLINE (internal timer of a job step)', () => {
  const timer = { runId: 'run_1', runJobId: 'wfrun-run_1', stepId: 'call', childQueue: 'voice', childJobId: 'wf-run_1-call-1' };

  it.each([
    [{ ...timer, runId: 'run 1' }, /runId: must be 1-128 characters/],
    [{ ...timer, stepId: 'a.b' }, /stepId: must be 1-64 characters/],
    [{ ...timer, runJobId: 'bull:workflow:1' }, /runJobId: must be a BullMQ job id/],
    [{ ...timer, childJobId: '' }, /childJobId: must be a BullMQ job id/],
    [{ ...timer, childQueue: 'seo' }, /childQueue: /],
  ])('refuses %j, naming the field', (data, message) => {
    expect(refusal('WORKFLOW_STEP_DEADLINE', data)).toMatch(message);
  });

  it('is marked internal, on queue workflow, and its results are the three outcomes', () => {
    expect(JOB_CONTRACTS.WORKFLOW_STEP_DEADLINE).toMatchObject({ queue: 'workflow', internal: true });
    for (const outcome of ['detached', 'already-finished', 'run-gone']) {
      expect(JOB_CONTRACTS.WORKFLOW_STEP_DEADLINE.result.safeParse({ outcome }).success).toBe(true);
    }
    expect(JOB_CONTRACTS.WORKFLOW_STEP_DEADLINE.result.safeParse({ outcome: 'timed-out' }).success).toBe(false);
  });
});

describe('AD_ANALYSIS result notes', () => {
  const kpis = { impressions: 0, clicks: 0, costMicros: 0, conversions: 0, conversionValueMicros: 0, ctr: null, cpcMicros: null, cpmMicros: null, cvr: null, cpaMicros: null, roas: null };
  const change = Object.fromEntries(AD_KPI_NAMES.map((name) => [name, { absolute: null, relative: null }]));
  const result = (notes: string[]) => ({
    platform: 'meta', accountId: 'act_1', accountName: null, currency: 'USD', timeZone: 'America/Los_Angeles',
    dateRange: { start: '2024-01-01', end: '2024-01-31' }, analysedRange: { start: '2024-01-11', end: '2024-01-31' },
    previousRange: { start: '2023-12-21', end: '2024-01-10' }, notes, totals: kpis, previousTotals: null, change,
    campaigns: [], campaignsOmitted: 0, anomalies: [], recommendations: [], report: null,
  });

  it(`holds at most ${MAX_RESULT_NOTES} notes of at most ${MAX_RESULT_NOTE_CHARS} characters, beside the job's dateRange and the analysedRange`, () => {
    expect(adAnalysisResultSchema.safeParse(result(['Analysed from 2024-01-11.'])).success).toBe(true);
    expect(adAnalysisResultSchema.safeParse(result(Array.from({ length: MAX_RESULT_NOTES }, () => 'x'.repeat(MAX_RESULT_NOTE_CHARS)))).success).toBe(true);
    expect(adAnalysisResultSchema.safeParse(result(Array.from({ length: MAX_RESULT_NOTES + 1 }, () => 'x'))).success).toBe(false);
    expect(adAnalysisResultSchema.safeParse(result(['x'.repeat(MAX_RESULT_NOTE_CHARS + 1)])).success).toBe(false);
    const { analysedRange: _, ...withoutAnalysedRange } = result([]);
    expect(adAnalysisResultSchema.safeParse(withoutAnalysedRange).success).toBe(false);
  });
});
