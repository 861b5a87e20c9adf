import type { FakeVapiCall } from './fake-vapi-call';
import type { FakeVapiCallReport } from './fake-vapi-call-report';

/**
 * `{ message: { type: 'status-update', status, endedReason?, call, customer, timestamp } }`:
 * sent on every status change. `timestamp` in ms since the epoch; `endedReason` only when
 * `status` is `ended`. Shape: Vapi's `ServerMessageStatusUpdate` (`@vapi-ai/server-sdk` 2.0.1) and
 * docs.vapi.ai "Server events".
 */
export interface FakeVapiStatusUpdateMessage {
  readonly message: Readonly<{
    type: 'status-update';
    status: FakeVapiCall['status'];
    endedReason?: string;
    call: FakeVapiCall;
    customer: FakeVapiCall['customer'];
    timestamp: number;
  }>;
}

/**
 * `{ message: { type: 'end-of-call-report', endedReason, cost, costs, artifact, analysis,
 * startedAt?, endedAt, call, customer, timestamp, durationMs, durationSeconds, durationMinutes } }`:
 * sent once, after the `ended` status update. Shape: Vapi's `ServerMessageEndOfCallReport`
 * (same SDK) and docs.vapi.ai "End-of-call report"; the `duration*` fields are not in that
 * schema but appear in the reports Vapi sends.
 */
export interface FakeVapiEndOfCallReportMessage {
  readonly message: Readonly<{
    type: 'end-of-call-report';
    endedReason: string;
    cost: number;
    costs: FakeVapiCallReport['costs'];
    artifact: FakeVapiCallReport['artifact'];
    analysis: FakeVapiCallReport['analysis'];
    startedAt?: string;
    endedAt?: string;
    call: FakeVapiCall;
    customer: FakeVapiCall['customer'];
    timestamp: number;
    durationMs: number;
    durationSeconds: number;
    durationMinutes: number;
  }>;
}

/** A server message the fake sends. */
export type FakeVapiServerMessage = FakeVapiStatusUpdateMessage | FakeVapiEndOfCallReportMessage;

/** The status update for `call` as it is now. */
export function fakeVapiStatusUpdate(call: FakeVapiCall, timestamp: number): FakeVapiStatusUpdateMessage {
  return {
    message: {
      type: 'status-update',
      status: call.status,
      ...(call.status === 'ended' && call.endedReason ? { endedReason: call.endedReason } : {}),
      call,
      customer: call.customer,
      timestamp,
    },
  };
}

/** The end-of-call report of the ended `call`. */
export function fakeVapiEndOfCallReport(call: FakeVapiCall, report: FakeVapiCallReport, timestamp: number): FakeVapiEndOfCallReportMessage {
  return {
    message: {
      type: 'end-of-call-report',
      endedReason: call.endedReason ?? 'unknown-error',
      cost: report.cost,
      costs: report.costs,
      artifact: report.artifact,
      analysis: report.analysis,
      ...(call.startedAt ? { startedAt: call.startedAt } : {}),
      ...(call.endedAt ? { endedAt: call.endedAt } : {}),
      call,
      customer: call.customer,
      timestamp,
      durationMs: report.durationMs,
      durationSeconds: report.durationMs / 1000,
      durationMinutes: report.durationMs / 60_000,
    },
  };
}
