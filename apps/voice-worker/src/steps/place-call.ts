import type { JobData } from '@jobs/queue-contracts';
import { WaitError, type HeldRedisLock, type Logger } from '@jobs/worker-kit';
import type { CallRecord } from '../lib/call-record-schema';
import { VapiThrottledError } from '../lib/errors';
import { normalisePhoneNumber, type NormalisedNumber } from '../lib/normalise-phone-number';
import type { VoiceCallDeps } from './voice-call-deps';
import { waitForCallingWindow } from './wait-for-calling-window';

/** Clock skew allowed when looking for a call an earlier attempt created (ms). */
export const LOOKUP_SKEW_MS = 60_000;
/** Wait when another job holds the placing lock of the same call (ms). */
export const PLACING_ELSEWHERE_WAIT_MS = 2000;

/** What {@link placeCall} needs of the job. */
export interface PlaceCallContext {
  readonly data: JobData<'VOICE_CALL'>;
  /** The call's record as loaded by this run. */
  readonly record: CallRecord;
  /** The job's signal (cancel, shutdown). */
  readonly signal: AbortSignal;
  readonly log: Logger;
  updateProgress(progress: object): Promise<void>;
}

/**
 * Step 1 of `VOICE_CALL`: makes sure the call exists at Vapi, exactly once, and its id is on
 * the record. A record with a `vapiCallId` is returned as is. Otherwise: the number is checked
 * (E.164, zones of its prefix), the calling window is waited for, and under the call's placing
 * lock the record is read again; when an earlier attempt recorded "placing" but not Vapi's id
 * (it died between Vapi's answer and the record), that call is looked up by our `callId` in its
 * metadata and followed; else "placing" is recorded, the call created, and its id recorded.
 *
 * The lock's signal stops placing: a lookup in flight is aborted and no call is created once the
 * lock is lost (this process stalled past the lock's TTL, so another job may be placing now). A
 * create already sent is not aborted: the call may exist, and recording its id is what keeps a
 * later attempt from placing another.
 * @returns the record with `vapiCallId` set.
 * @throws InvalidPhoneNumberError, WaitError (calling hours, lock held elsewhere),
 *   PermanentJobError (no calling day), LockLostError, VapiThrottledError (also for a call Vapi
 *   refused for its concurrency limit), the Vapi client's errors, CallRecordCorruptError.
 */
export async function placeCall(deps: VoiceCallDeps, ctx: PlaceCallContext): Promise<CallRecord> {
  if (ctx.record.vapiCallId) return ctx.record;
  const now = deps.now ?? Date.now;
  const { data } = ctx;
  const number = await normalisePhoneNumber(data.phoneNumber);
  await waitForCallingWindow(deps, number, now(), (p) => ctx.updateProgress(p));

  const lock = await deps.records.lockPlacing(data.callId, deps.placingLockTtlMs);
  if (!lock) throw new WaitError(PLACING_ELSEWHERE_WAIT_MS, `another job is placing call ${data.callId}`);
  try {
    const record = await deps.records.load(data.callId);
    if (record.vapiCallId) return record;
    const found = await findEarlierCall(deps, ctx, record, lock);
    if (found) return found;
    lock.signal.throwIfAborted();
    return await createCall(deps, ctx, record, number, lock);
  } finally {
    await lock.release();
  }
}

/** The call an earlier attempt placed but did not record, now recorded; null when there is none. */
async function findEarlierCall(deps: VoiceCallDeps, ctx: PlaceCallContext, record: CallRecord, lock: HeldRedisLock): Promise<CallRecord | null> {
  if (record.placingSince === null) return null;
  const { data } = ctx;
  const stop = AbortSignal.any([ctx.signal, lock.signal]);
  let found;
  try {
    found = await deps.vapi.findByCallId(
      data.callId,
      new Date(record.placingSince - LOOKUP_SKEW_MS),
      { assistantId: data.assistantId, phoneNumberId: deps.phoneNumberId },
      stop,
    );
  } catch (err) {
    // Aborted for a lost lock: say so, whatever the HTTP client made of the abort.
    lock.signal.throwIfAborted();
    throw err;
  }
  if (!found) return null;
  lock.signal.throwIfAborted();
  ctx.log.warn({ vapiCallId: found.id }, 'found the call an earlier attempt placed: following it, not placing another');
  await deps.records.setVapiCallId(data.callId, found.id);
  return { ...record, vapiCallId: found.id };
}

async function createCall(deps: VoiceCallDeps, ctx: PlaceCallContext, record: CallRecord, number: NormalisedNumber, lock: HeldRedisLock): Promise<CallRecord> {
  const { data } = ctx;
  const now = deps.now ?? Date.now;
  const placingSince = now();
  await deps.records.markPlacing(data.callId, placingSince);
  lock.signal.throwIfAborted();
  const call = await deps.vapi.create(
    {
      assistantId: data.assistantId,
      phoneNumberId: deps.phoneNumberId,
      customerNumber: number.e164,
      metadata: { ...(data.metadata ?? {}), callId: data.callId, userId: data.userId },
      server: deps.webhook ? { url: deps.webhook.url, headers: { 'X-Vapi-Secret': deps.webhook.secret } } : undefined,
    },
    ctx.signal,
  );
  if (call.concurrencyBlocked) {
    throw new VapiThrottledError(null, `Vapi did not start call ${call.id}: the organisation's concurrency limit is reached`);
  }
  await deps.records.setVapiCallId(data.callId, call.id);
  ctx.log.info({ vapiCallId: call.id, to: number.e164 }, 'call placed');
  return { ...record, placingSince, vapiCallId: call.id };
}
