import { VapiClient, VapiError, VapiTimeoutError, type Vapi } from '@vapi-ai/server-sdk';
import { parseRetryAfterMs } from '@jobs/worker-kit';
import { VapiRejectedError, VapiThrottledError, VapiUnavailableError } from './errors';

/** A Vapi call as the voice worker needs it. */
export interface VapiCall {
  readonly id: string;
  /** `queued`, `ringing`, `in-progress`, `forwarding`, `ended` (Vapi's CallStatus). */
  readonly status: string;
  readonly endedReason: string | null;
  readonly createdAt: string | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  /** USD, as Vapi reports it. */
  readonly cost: number | null;
  readonly transcript: string | null;
  readonly summary: string | null;
  readonly recordingUrl: string | null;
  /** `assistantOverrides.metadata` of the call (where our callId is). */
  readonly metadata: Record<string, unknown>;
  /**
   * Vapi refused to start it for the organisation's concurrency limit: the create answered 201
   * with `subscriptionLimits.concurrencyBlocked`, and the call ends at once without ringing
   * (docs.vapi.ai "Call concurrency").
   */
  readonly concurrencyBlocked: boolean;
}

/** The endedReason of a call Vapi did not start because of the concurrency limit. */
export const CONCURRENCY_BLOCKED_REASON = 'call.start.error-subscription-concurrency-limit-reached';

/** What to create. */
export interface CreateCallRequest {
  readonly assistantId: string;
  readonly phoneNumberId: string;
  /** E.164. */
  readonly customerNumber: string;
  readonly metadata: Record<string, unknown>;
  /** Where Vapi sends this call's server messages, and the headers it sends with them. */
  readonly server?: { url: string; headers: Record<string, string> };
}

/** The calls API, behind an interface so tests can point the real SDK at a local server. */
export interface VapiCalls {
  /** Places a call. Not idempotent: never retried in place. */
  create(request: CreateCallRequest, signal: AbortSignal): Promise<VapiCall>;
  get(id: string, signal: AbortSignal): Promise<VapiCall>;
  /** The call created since `createdAtGe` whose metadata carries `callId`, if any. */
  findByCallId(callId: string, createdAtGe: Date, filter: { assistantId: string; phoneNumberId: string }, signal: AbortSignal): Promise<VapiCall | null>;
}

function toCall(call: Vapi.Call): VapiCall {
  const c = call as Vapi.Call & { transcript?: string; summary?: string; recordingUrl?: string };
  return {
    id: call.id,
    status: call.status ?? 'queued',
    endedReason: call.endedReason ?? null,
    createdAt: call.createdAt ?? null,
    startedAt: call.startedAt ?? null,
    endedAt: call.endedAt ?? null,
    cost: typeof call.cost === 'number' ? call.cost : null,
    transcript: call.artifact?.transcript ?? c.transcript ?? null,
    summary: call.analysis?.summary ?? c.summary ?? null,
    recordingUrl: call.artifact?.recordingUrl ?? c.recordingUrl ?? null,
    metadata: (call.assistantOverrides?.metadata as Record<string, unknown> | undefined) ?? {},
    concurrencyBlocked: call.endedReason === CONCURRENCY_BLOCKED_REASON,
  };
}

function mapError(err: unknown, what: string): unknown {
  if (err instanceof VapiTimeoutError) return new VapiUnavailableError(`Vapi ${what}: timed out`, { cause: err });
  if (!(err instanceof VapiError)) {
    if (err instanceof Error && err.name === 'AbortError') return err;
    return new VapiUnavailableError(`Vapi ${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const status = err.statusCode ?? 0;
  const body = typeof err.body === 'object' && err.body !== null ? JSON.stringify(err.body) : String(err.body ?? '');
  const detail = `Vapi ${what}: HTTP ${status || 'no answer'} ${body.slice(0, 300)}`;
  const retryAfterMs = parseRetryAfterMs(err.rawResponse?.headers.get('retry-after'));
  if (status === 429) return new VapiThrottledError(retryAfterMs, detail, { cause: err });
  // Vapi answers the organisation's concurrency limit with a 400 whose message says so.
  if (status === 400 && /concurrency/i.test(body)) return new VapiThrottledError(retryAfterMs, detail, { cause: err });
  if (status === 0 || status >= 500 || status === 408) return new VapiUnavailableError(detail, { cause: err });
  return new VapiRejectedError(status, detail, { cause: err });
}

/** Options of {@link SdkVapiCalls}. */
export interface SdkVapiCallsOptions {
  /** `https://api.vapi.ai` in production. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
}

/**
 * The calls API through the official `@vapi-ai/server-sdk`. Its own retries are off
 * (`maxRetries: 0`): it would retry a `POST /call` that timed out or got a 5xx — placing a
 * second call — and sleep out 429s inside the job. Reads are retried by the job instead.
 */
export class SdkVapiCalls implements VapiCalls {
  private readonly client: VapiClient;

  constructor(options: SdkVapiCallsOptions) {
    this.client = new VapiClient({ token: options.apiKey, baseUrl: options.baseUrl, maxRetries: 0, timeoutInSeconds: Math.ceil(options.timeoutMs / 1000) });
  }

  async create(request: CreateCallRequest, signal: AbortSignal): Promise<VapiCall> {
    try {
      const created = await this.client.calls.create(
        {
          assistantId: request.assistantId,
          phoneNumberId: request.phoneNumberId,
          customer: { number: request.customerNumber },
          assistantOverrides: {
            metadata: request.metadata,
            ...(request.server ? { server: { url: request.server.url, headers: request.server.headers } } : {}),
          },
        },
        { abortSignal: signal },
      );
      // The SDK types the answer as a call or a batch of calls; one customer gives one call.
      const call = (created as { results?: Vapi.Call[] }).results?.[0] ?? (created as Vapi.Call);
      const limits = (created as { subscriptionLimits?: { concurrencyBlocked?: boolean } }).subscriptionLimits;
      const result = toCall(call);
      return limits?.concurrencyBlocked ? { ...result, concurrencyBlocked: true } : result;
    } catch (err) {
      throw mapError(err, 'POST /call');
    }
  }

  async get(id: string, signal: AbortSignal): Promise<VapiCall> {
    try {
      return toCall(await this.client.calls.get({ id }, { abortSignal: signal }));
    } catch (err) {
      throw mapError(err, `GET /call/${id}`);
    }
  }

  async findByCallId(callId: string, createdAtGe: Date, filter: { assistantId: string; phoneNumberId: string }, signal: AbortSignal): Promise<VapiCall | null> {
    try {
      const calls = await this.client.calls.list(
        { assistantId: filter.assistantId, phoneNumberId: filter.phoneNumberId, createdAtGe: createdAtGe.toISOString(), limit: 1000 },
        { abortSignal: signal },
      );
      // A call Vapi refused for its concurrency limit never rang: it does not count.
      const found = calls.map(toCall).find((c) => c.metadata['callId'] === callId && !c.concurrencyBlocked);
      return found ?? null;
    } catch (err) {
      throw mapError(err, 'GET /call');
    }
  }
}
