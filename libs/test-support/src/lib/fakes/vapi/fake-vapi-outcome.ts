/** A Vapi call status the fake goes through (Vapi's `CallStatus`, without scheduling and forwarding). */
export type FakeVapiCallStatus = 'queued' | 'ringing' | 'in-progress' | 'ended';

/** How calls to a number go: picked up and talked (`answered`), `busy`, `no-answer`, or `failed` to connect. */
export type FakeVapiOutcome = 'answered' | 'busy' | 'no-answer' | 'failed';

/** The statuses a call passes through and the `endedReason` it ends with. */
export interface FakeVapiCallPath {
  readonly statuses: readonly FakeVapiCallStatus[];
  readonly endedReason: string;
}

/**
 * Each outcome's path. The ended reasons are values of Vapi's `CallEndedReason` enum (the
 * `@vapi-ai/server-sdk` 2.0.1 types; docs.vapi.ai "Call end reasons" and "Troubleshoot call
 * errors": `customer-busy` and `customer-did-not-answer` after ringing, `twilio-failed-to-connect-call`
 * when the provider never connected, `customer-ended-call` when the customer hung up).
 */
export const FAKE_VAPI_OUTCOME_PATHS: Readonly<Record<FakeVapiOutcome, FakeVapiCallPath>> = Object.freeze({
  answered: { statuses: ['queued', 'ringing', 'in-progress', 'ended'], endedReason: 'customer-ended-call' },
  busy: { statuses: ['queued', 'ringing', 'ended'], endedReason: 'customer-busy' },
  'no-answer': { statuses: ['queued', 'ringing', 'ended'], endedReason: 'customer-did-not-answer' },
  failed: { statuses: ['queued', 'ended'], endedReason: 'twilio-failed-to-connect-call' },
});

/**
 * The path of a call created while the organisation's concurrency slots were all taken: per
 * docs.vapi.ai "Call concurrency" and "Troubleshoot call errors", `POST /call` still answers
 * 201 (with `subscriptionLimits.concurrencyBlocked: true`), the call never rings and ends at once
 * with `call.start.error-subscription-concurrency-limit-reached`.
 */
export const FAKE_VAPI_CONCURRENCY_BLOCKED_PATH: FakeVapiCallPath = Object.freeze<FakeVapiCallPath>({
  statuses: ['queued', 'ended'],
  endedReason: 'call.start.error-subscription-concurrency-limit-reached',
});

/** Whether `value` names an outcome. */
export function isFakeVapiOutcome(value: unknown): value is FakeVapiOutcome {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(FAKE_VAPI_OUTCOME_PATHS, value);
}
