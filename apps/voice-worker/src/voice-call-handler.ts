import { PermanentJobError, RetryLaterError, WaitError, type JobHandler } from '@jobs/worker-kit';
import type { JobResult } from '@jobs/queue-contracts';
import type { CallRecordStore } from './lib/call-record-store';
import { msUntilCallingWindow, type CallingWindow } from './lib/calling-window';
import { InvalidPhoneNumberError, normalisePhoneNumber } from './lib/normalise-phone-number';
import type { VapiCall, VapiCalls } from './lib/vapi-calls';
import { VapiRejectedError, VapiThrottledError, VapiUnavailableError } from './lib/vapi-errors';

/** What the `VOICE_CALL` handler works with. */
export interface VoiceCallHandlerDeps {
  readonly vapi: VapiCalls;
  readonly records: CallRecordStore;
  /** Vapi phone number the calls go out from. */
  readonly phoneNumberId: string;
  readonly callingWindow: CallingWindow;
  /** Zone used when a number's prefix has none (non-geographic numbers). */
  readonly defaultTimeZone: string;
  /** How often a call in progress is checked when no webhook comes first (ms). */
  readonly pollIntervalMs: number;
  /** Life of the per-call placing lock while unextended (ms): a dead worker frees it within this. */
  readonly placingLockTtlMs: number;
  /** A call still not ended this long after it was created is given up (ms). */
  readonly maxCallDurationMs: number;
  /** Where Vapi should send this worker's server messages, when the receiver is enabled. */
  readonly webhook: { url: string; secret: string } | null;
  readonly now?: () => number;
}

/** Wait when Vapi throttles without Retry-After (ms). */
const DEFAULT_THROTTLE_MS = 10_000;
/** Clock skew allowed when looking for a call an earlier attempt created (ms). */
const LOOKUP_SKEW_MS = 60_000;

function toResult(call: VapiCall, report: Record<string, unknown> | null): JobResult<'VOICE_CALL'> {
  const artifact = (report?.['artifact'] ?? {}) as Record<string, unknown>;
  const analysis = (report?.['analysis'] ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const started = call.startedAt ?? str(report?.['startedAt']);
  const ended = call.endedAt ?? str(report?.['endedAt']);
  const durationSeconds = started && ended ? Math.max(0, (Date.parse(ended) - Date.parse(started)) / 1000) : null;
  const reportCost = report?.['cost'];
  return {
    vapiCallId: call.id,
    status: call.status,
    endedReason: call.endedReason ?? str(report?.['endedReason']),
    durationSeconds,
    cost: call.cost ?? (typeof reportCost === 'number' ? reportCost : null),
    transcript: call.transcript ?? str(artifact['transcript']),
    summary: call.summary ?? str(analysis['summary']),
    recordingUrl: call.recordingUrl ?? str(artifact['recordingUrl']),
  };
}

/**
 * `VOICE_CALL`: places one outbound call through Vapi and follows it to its end without holding
 * a worker slot while it rings or talks.
 *
 * Each run of the handler is one step: (1) validate and normalise the number (invalid → fails
 * at once, naming `phoneNumber`); (2) if no call exists yet: outside the calling window in the
 * callee's zone → wait for it; otherwise record "placing", create the call with our `callId` and
 * `userId` in its metadata, and record Vapi's id at once; (3) read the call: ended → the job's
 * result; else wait `pollIntervalMs` (WaitError, no attempt used; the webhook receiver wakes the
 * job as soon as Vapi reports a change).
 *
 * A retry never places a second call: it follows the recorded Vapi id, and when an earlier
 * attempt died between Vapi's answer and the record, it finds that call by its `callId` among
 * the calls created since "placing" was recorded.
 */
export function createVoiceCallHandler(deps: VoiceCallHandlerDeps): JobHandler<'VOICE_CALL'> {
  const now = deps.now ?? Date.now;
  return async ({ job, data, signal, log, updateProgress }) => {
    try {
      let number;
      try {
        number = await normalisePhoneNumber(data.phoneNumber);
      } catch (err) {
        if (err instanceof InvalidPhoneNumberError) throw new PermanentJobError(err.message);
        throw err;
      }
      let record = await deps.records.load(data.callId);
      if (job.id && record.jobId !== job.id) await deps.records.setJob(data.callId, job.id);

      if (!record.vapiCallId) {
        const zones = number.timeZones.length > 0 ? number.timeZones : [deps.defaultTimeZone];
        let waitMs = msUntilCallingWindow(now(), zones, deps.callingWindow);
        let windowZones = zones;
        if (waitMs === null) {
          // Zones too far apart to share the window (toll-free and other non-geographic numbers
          // map to dozens): go by the configured default zone.
          windowZones = [deps.defaultTimeZone];
          waitMs = msUntilCallingWindow(now(), windowZones, deps.callingWindow);
          if (waitMs === null) throw new PermanentJobError('VOICE_CALLING_DAYS allows no day: no call can be placed');
        }
        if (waitMs > 0) {
          await updateProgress({ step: 'waiting-for-calling-hours', until: new Date(now() + waitMs).toISOString() });
          throw new WaitError(waitMs, `outside calling hours in ${windowZones.join(', ')}`);
        }

        const placingLock = await deps.records.lockPlacing(data.callId, deps.placingLockTtlMs);
        if (!placingLock) throw new WaitError(2000, `another job is placing call ${data.callId}`);
        try {
          record = await deps.records.load(data.callId);
          if (!record.vapiCallId && record.placingSince !== null) {
            const found = await deps.vapi.findByCallId(
              data.callId,
              new Date(record.placingSince - LOOKUP_SKEW_MS),
              { assistantId: data.assistantId, phoneNumberId: deps.phoneNumberId },
              signal,
            );
            if (found) {
              log.warn({ vapiCallId: found.id }, 'found the call an earlier attempt placed: following it, not placing another');
              await deps.records.setVapiCallId(data.callId, found.id);
              record = { ...record, vapiCallId: found.id };
            }
          }
          if (!record.vapiCallId) {
            // The lock was lost while looking (this process stalled past its TTL): another job
            // may be placing the call now, so this one must not.
            placingLock.signal.throwIfAborted();
            await deps.records.markPlacing(data.callId, now());
            const call = await deps.vapi.create(
              {
                assistantId: data.assistantId,
                phoneNumberId: deps.phoneNumberId,
                customerNumber: number.e164,
                metadata: { ...(data.metadata ?? {}), callId: data.callId, userId: data.userId },
                server: deps.webhook ? { url: deps.webhook.url, headers: { 'X-Vapi-Secret': deps.webhook.secret } } : undefined,
              },
              signal,
            );
            if (call.concurrencyBlocked) {
              throw new VapiThrottledError(null, `Vapi did not start call ${call.id}: the organisation's concurrency limit is reached`);
            }
            await deps.records.setVapiCallId(data.callId, call.id);
            record = { ...record, vapiCallId: call.id };
            log.info({ vapiCallId: call.id, to: number.e164 }, 'call placed');
          }
        } finally {
          await placingLock.release();
        }
      }

      const vapiCallId = record.vapiCallId as string;
      let call: VapiCall;
      try {
        call = await deps.vapi.get(vapiCallId, signal);
      } catch (err) {
        // The call exists and goes on whatever our reads do: a Vapi outage delays following it,
        // it must not fail the job (VOICE_MAX_CALL_DURATION_MS still bounds the wait).
        if (!(err instanceof VapiUnavailableError) || signal.aborted) throw err;
        const placedAt = record.placingSince ?? now();
        if (now() - placedAt > deps.maxCallDurationMs) throw err;
        log.warn({ vapiCallId, reason: err.message }, 'reading the call failed: checking again later');
        throw new WaitError(deps.pollIntervalMs, `Vapi unavailable while following call ${vapiCallId}`);
      }
      if (call.concurrencyBlocked) {
        // It never rang: forget it, and place the call again once Vapi has room.
        await deps.records.clearVapiCallId(data.callId);
        throw new VapiThrottledError(null, `Vapi did not start call ${vapiCallId}: the organisation's concurrency limit was reached`);
      }
      if (call.status === 'ended') {
        const fresh = await deps.records.load(data.callId);
        const result = toResult(call, fresh.endReport);
        log.info({ vapiCallId, endedReason: result.endedReason, durationSeconds: result.durationSeconds }, 'call ended');
        return result;
      }
      const createdAt = call.createdAt ? Date.parse(call.createdAt) : (record.placingSince ?? now());
      if (now() - createdAt > deps.maxCallDurationMs) {
        throw new PermanentJobError(`Call ${vapiCallId} has not ended ${Math.round(deps.maxCallDurationMs / 60_000)} min after it was placed (status ${call.status})`);
      }
      await updateProgress({ step: 'following', vapiCallId, status: call.status });
      throw new WaitError(deps.pollIntervalMs, `call ${vapiCallId} is ${call.status}`);
    } catch (err) {
      if (err instanceof VapiThrottledError) {
        throw new RetryLaterError(Math.max(1000, err.retryAfterMs ?? DEFAULT_THROTTLE_MS), err.message, { cause: err });
      }
      if (err instanceof VapiRejectedError && err.statusCode !== 401) throw new PermanentJobError(err.message, { cause: err });
      if (err instanceof VapiRejectedError) throw new Error(`${err.message}: check VAPI_API_KEY`, { cause: err });
      if (err instanceof VapiUnavailableError) throw err;
      throw err;
    }
  };
}
