import type { FakeVapiCreateCallRequest } from './fake-vapi-create-call-dto';
import type { FakeVapiCallPath, FakeVapiCallStatus, FakeVapiOutcome } from './fake-vapi-outcome';
import type { FakeVapiCallReport } from './fake-vapi-call-report';
import type { FakeVapiResolvedTimings } from './fake-vapi-timings';

/**
 * A call as the fake's API answers it: Vapi's `Call` object (`@vapi-ai/server-sdk` 2.0.1
 * `Vapi.Call`) for an outbound phone call. Times are ISO 8601 strings; `cost` and the cost
 * fields are USD. The create-call fields (`assistantId`, `assistantOverrides`, `customer`, …) are
 * echoed as sent. `startedAt` is set when the call goes `in-progress`; `endedAt`, `endedReason`,
 * `cost`, `costBreakdown`, `costs`, `messages`, `artifact` and `analysis` when it ends. The
 * older top-level `transcript`, `recordingUrl` and `summary` are not sent: Vapi's current
 * schema has them only under `artifact` and `analysis`.
 */
export interface FakeVapiCall {
  readonly id: string;
  readonly orgId: string;
  readonly type: 'outboundPhoneCall';
  readonly status: FakeVapiCallStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly phoneCallProvider: 'twilio';
  readonly phoneCallTransport: 'pstn';
  /** The provider's call id (a Twilio call SID, `CA` + 32 hex digits). */
  readonly phoneCallProviderId: string;
  readonly assistantId?: string;
  readonly phoneNumberId?: string;
  readonly customer: Readonly<{ number: string; [key: string]: unknown }>;
  readonly assistantOverrides?: Readonly<Record<string, unknown>>;
  readonly name?: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly endedReason?: string;
  readonly cost?: number;
  readonly costBreakdown?: FakeVapiCallReport['costBreakdown'];
  readonly costs?: FakeVapiCallReport['costs'];
  readonly messages?: FakeVapiCallReport['artifact']['messages'];
  readonly artifact?: FakeVapiCallReport['artifact'];
  readonly analysis?: FakeVapiCallReport['analysis'];
  readonly [key: string]: unknown;
}

/** The fake's own state of one call; {@link fakeVapiCallJson} turns it into the wire shape. */
export interface FakeVapiCallRecord {
  /** Creation order, to order calls created in the same millisecond. */
  readonly seq: number;
  readonly id: string;
  readonly orgId: string;
  readonly request: FakeVapiCreateCallRequest;
  /** The customer's number's outcome when the call was created. */
  readonly outcome: FakeVapiOutcome;
  readonly path: FakeVapiCallPath;
  /** Created while every concurrency slot was taken: it ends at once, without ringing. */
  readonly concurrencyBlocked: boolean;
  /** Snapshot of the timings when the call was created. */
  readonly timings: FakeVapiResolvedTimings;
  readonly providerCallId: string;
  readonly createdAtMs: number;
  status: FakeVapiCallStatus;
  updatedAtMs: number;
  startedAtMs?: number;
  endedAtMs?: number;
  report?: FakeVapiCallReport;
  /** The pending automatic step, if any. */
  timer?: NodeJS.Timeout;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The call's current JSON. */
export function fakeVapiCallJson(record: FakeVapiCallRecord): FakeVapiCall {
  const { request, report } = record;
  const echoed = Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined));
  return {
    ...echoed,
    id: record.id,
    orgId: record.orgId,
    type: 'outboundPhoneCall',
    status: record.status,
    createdAt: iso(record.createdAtMs),
    updatedAt: iso(record.updatedAtMs),
    phoneCallProvider: 'twilio',
    phoneCallTransport: 'pstn',
    phoneCallProviderId: record.providerCallId,
    customer: request.customer,
    ...(record.startedAtMs === undefined ? {} : { startedAt: iso(record.startedAtMs) }),
    ...(record.endedAtMs === undefined ? {} : { endedAt: iso(record.endedAtMs) }),
    ...(report
      ? {
          endedReason: record.path.endedReason,
          cost: report.cost,
          costBreakdown: report.costBreakdown,
          costs: report.costs,
          messages: report.artifact.messages,
          artifact: report.artifact,
          analysis: report.analysis,
        }
      : {}),
  };
}
