import { fakeVapiCallJson, type FakeVapiCallRecord } from './fake-vapi-call';
import { fakeVapiAnsweredCallReport, fakeVapiEmptyCallReport } from './fake-vapi-call-report';
import type { FakeVapiCallStatus } from './fake-vapi-outcome';
import { fakeVapiEndOfCallReport, fakeVapiStatusUpdate } from './fake-vapi-server-messages';
import { fakeVapiStatusDurationMs } from './fake-vapi-timings';
import type { FakeVapiWebhookSender } from './fake-vapi-webhook-sender';
import type { FakeVapiWebhookTarget } from './fake-vapi-webhook-target';

/** What the lifecycle needs: where a call's messages go (looked up when each is sent) and the sender. */
export interface FakeVapiCallLifecycleDeps {
  readonly webhooks: FakeVapiWebhookSender;
  readonly targetOf: (record: FakeVapiCallRecord) => FakeVapiWebhookTarget | null;
}

/**
 * Moves calls along their outcome's path (`queued` → `ringing` → `in-progress` → `ended`, or a
 * shorter one), on timers from each call's timings or when a test says so, and sends a
 * `status-update` for every status (the first, `queued`, included) and an `end-of-call-report`
 * after `ended`. Timers are unreferenced and cleared by {@link close}.
 */
export class FakeVapiCallLifecycle {
  #closed = false;
  readonly #live = new Set<FakeVapiCallRecord>();

  constructor(private readonly deps: FakeVapiCallLifecycleDeps) {}

  /** Announces a new call's `queued` status and schedules its next step. Resolves when that message is delivered or failed. */
  start(record: FakeVapiCallRecord): Promise<void> {
    this.#live.add(record);
    const sent = this.#announce(record);
    this.#schedule(record);
    return sent;
  }

  /**
   * Moves `record` on now: to its next status, or through every status up to `to` (each
   * announced). Resolves when those messages are delivered or failed.
   * @throws Error when the call has ended, is already at or past `to`, or its path never reaches `to`.
   */
  advance(record: FakeVapiCallRecord, to?: FakeVapiCallStatus): Promise<void> {
    const { statuses } = record.path;
    const from = statuses.indexOf(record.status);
    if (record.status === 'ended') throw new Error(`call ${record.id} has already ended (${record.path.endedReason})`);
    const target = to === undefined ? from + 1 : statuses.indexOf(to);
    if (target < 0) throw new Error(`call ${record.id} (${record.concurrencyBlocked ? 'blocked by the concurrency limit' : record.outcome}) never becomes '${to}': its statuses are ${statuses.join(' → ')}`);
    if (target <= from) throw new Error(`call ${record.id} is already '${record.status}'`);
    this.#cancel(record);
    const sent: Array<Promise<void>> = [];
    for (let i = from + 1; i <= target; i++) sent.push(this.#enter(record, statuses[i]));
    this.#schedule(record);
    return Promise.all(sent).then(() => undefined);
  }

  /** Stops every timer; nothing moves on its own afterwards. */
  close(): void {
    this.#closed = true;
    for (const record of this.#live) this.#cancel(record);
    this.#live.clear();
  }

  #enter(record: FakeVapiCallRecord, status: FakeVapiCallStatus): Promise<void> {
    const now = Date.now();
    record.status = status;
    record.updatedAtMs = now;
    if (status === 'in-progress') record.startedAtMs = now;
    if (status === 'ended') {
      record.endedAtMs = now;
      record.report =
        record.startedAtMs === undefined
          ? fakeVapiEmptyCallReport()
          : fakeVapiAnsweredCallReport({ id: record.id, customerNumber: record.request.customer.number, startedAtMs: record.startedAtMs, endedAtMs: now });
      this.#live.delete(record);
    }
    return this.#announce(record);
  }

  #announce(record: FakeVapiCallRecord): Promise<void> {
    const target = this.deps.targetOf(record);
    if (!target || this.#closed) return Promise.resolve();
    const call = fakeVapiCallJson(record);
    const now = Date.now();
    const sent = [this.deps.webhooks.send(target, record.id, fakeVapiStatusUpdate(call, now))];
    if (record.status === 'ended' && record.report) sent.push(this.deps.webhooks.send(target, record.id, fakeVapiEndOfCallReport(call, record.report, now)));
    return Promise.all(sent).then(() => undefined);
  }

  #schedule(record: FakeVapiCallRecord): void {
    if (this.#closed || record.status === 'ended') return;
    // A blocked call never really starts: it ends at once, manual mode or not.
    if (record.timings.manual && !record.concurrencyBlocked) return;
    const delayMs = record.concurrencyBlocked ? 0 : fakeVapiStatusDurationMs(record.timings, record.status);
    this.#arm(record, Date.now() + delayMs);
  }

  /**
   * Moves `record` on at `dueAt` by `Date.now()`. A Node timer counts from the event loop's
   * cached time, which on a busy machine lags the clock that stamps the call's times, so a timer
   * alone may fire early by that clock: re-arm until it is due.
   */
  #arm(record: FakeVapiCallRecord, dueAt: number): void {
    record.timer = setTimeout(() => {
      record.timer = undefined;
      if (!this.#closed && Date.now() < dueAt) {
        this.#arm(record, dueAt);
        return;
      }
      const next = record.path.statuses[record.path.statuses.indexOf(record.status) + 1];
      if (this.#closed || next === undefined) return;
      void this.#enter(record, next);
      this.#schedule(record);
    }, Math.max(0, dueAt - Date.now()));
    record.timer.unref();
  }

  #cancel(record: FakeVapiCallRecord): void {
    if (record.timer) clearTimeout(record.timer);
    record.timer = undefined;
  }
}
