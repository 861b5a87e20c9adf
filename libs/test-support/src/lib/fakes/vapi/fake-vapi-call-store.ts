import { randomBytes, randomUUID } from 'node:crypto';
import type { FakeVapiCallRecord } from './fake-vapi-call';
import type { FakeVapiCreateCallRequest } from './fake-vapi-create-call-dto';
import type { FakeVapiListCallsQuery } from './fake-vapi-list-calls-query';
import { FAKE_VAPI_CONCURRENCY_BLOCKED_PATH, FAKE_VAPI_OUTCOME_PATHS, type FakeVapiOutcome } from './fake-vapi-outcome';
import type { FakeVapiResolvedTimings } from './fake-vapi-timings';

/** `subscriptionLimits` of a `POST /call` answer (docs.vapi.ai "Call concurrency"). */
export interface FakeVapiSubscriptionLimits {
  /** `true` when the call could not start because every slot was taken. */
  readonly concurrencyBlocked: boolean;
  readonly concurrencyLimit: number;
  /** Slots still open once this call took one (0 when blocked). */
  readonly remainingConcurrentCalls: number;
}

/** Every call of one fake organisation, the outcome configured per customer number, the concurrency limit and the timings new calls take. */
export class FakeVapiCallStore {
  /** Every call, in creation order. */
  readonly records: FakeVapiCallRecord[] = [];
  /** Outcome of numbers not set with {@link setOutcome}. */
  defaultOutcome: FakeVapiOutcome = 'answered';
  /** `null`: no limit. */
  concurrencyLimit: number | null = null;
  readonly #byId = new Map<string, FakeVapiCallRecord>();
  readonly #outcomes = new Map<string, FakeVapiOutcome>();

  constructor(
    readonly orgId: string,
    public timings: FakeVapiResolvedTimings,
  ) {}

  setOutcome(number: string, outcome: FakeVapiOutcome): void {
    this.#outcomes.set(number, outcome);
  }

  get(id: string): FakeVapiCallRecord | undefined {
    return this.#byId.get(id);
  }

  /** Calls holding a concurrency slot: not ended, not blocked. */
  activeCount(): number {
    return this.records.filter((r) => r.status !== 'ended' && !r.concurrencyBlocked).length;
  }

  /** Records a new `queued` call to `request.customer.number`, blocked when the concurrency limit is reached. */
  create(request: FakeVapiCreateCallRequest, nowMs: number): { record: FakeVapiCallRecord; subscriptionLimits?: FakeVapiSubscriptionLimits } {
    const limit = this.concurrencyLimit;
    const active = this.activeCount();
    const blocked = limit !== null && active >= limit;
    const outcome = this.#outcomes.get(request.customer.number) ?? this.defaultOutcome;
    const record: FakeVapiCallRecord = {
      seq: this.records.length,
      id: randomUUID(),
      orgId: this.orgId,
      request,
      outcome,
      path: blocked ? FAKE_VAPI_CONCURRENCY_BLOCKED_PATH : FAKE_VAPI_OUTCOME_PATHS[outcome],
      concurrencyBlocked: blocked,
      timings: this.timings,
      providerCallId: `CA${randomBytes(16).toString('hex')}`,
      createdAtMs: nowMs,
      status: 'queued',
      updatedAtMs: nowMs,
    };
    this.records.push(record);
    this.#byId.set(record.id, record);
    if (limit === null) return { record };
    return { record, subscriptionLimits: { concurrencyBlocked: blocked, concurrencyLimit: limit, remainingConcurrentCalls: blocked ? 0 : limit - active - 1 } };
  }

  /** The calls matching `query`, newest first, at most `query.limit`. */
  list(query: FakeVapiListCallsQuery): FakeVapiCallRecord[] {
    const within = (ms: number, gt?: number, lt?: number, ge?: number, le?: number): boolean =>
      (gt === undefined || ms > gt) && (lt === undefined || ms < lt) && (ge === undefined || ms >= ge) && (le === undefined || ms <= le);
    return this.records
      .filter(
        (r) =>
          (query.id === undefined || r.id === query.id) &&
          (query.assistantId === undefined || r.request.assistantId === query.assistantId) &&
          (query.phoneNumberId === undefined || r.request.phoneNumberId === query.phoneNumberId) &&
          within(r.createdAtMs, query.createdAtGt, query.createdAtLt, query.createdAtGe, query.createdAtLe) &&
          within(r.updatedAtMs, query.updatedAtGt, query.updatedAtLt, query.updatedAtGe, query.updatedAtLe),
      )
      .sort((a, b) => b.createdAtMs - a.createdAtMs || b.seq - a.seq)
      .slice(0, query.limit);
  }
}
