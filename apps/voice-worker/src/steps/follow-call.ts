import type { JobResult } from '@jobs/queue-contracts';
import { PermanentJobError, WaitError, type Logger } from '@jobs/worker-kit';
import type { CallRecord } from '../lib/call-record-schema';
import { VapiThrottledError, VapiUnavailableError } from '../lib/errors';
import type { VapiCall } from '../lib/vapi-calls';
import { toCallResult } from './to-call-result';
import type { VoiceCallDeps } from './voice-call-deps';

/** What {@link followCall} needs of the job. */
export interface FollowCallContext {
  readonly callId: string;
  /** The call's record, with `vapiCallId` set (by {@link placeCall} or an earlier run). */
  readonly record: CallRecord & { readonly vapiCallId: string };
  readonly signal: AbortSignal;
  readonly log: Logger;
  updateProgress(progress: object): Promise<void>;
}

/**
 * Step 2 of `VOICE_CALL`: reads the placed call once. Ended → the job's result
 * ({@link toCallResult}, with the end-of-call report read fresh from the record). Still going →
 * `{ step: 'following', vapiCallId, status }` as progress and a WaitError of `pollIntervalMs`: the
 * job holds no slot while the call rings or talks, and the webhook receiver wakes it (promotes
 * it) as soon as Vapi reports a change. A call Vapi never started for its concurrency limit is
 * forgotten, so the next run places it again.
 * @throws WaitError (still going; or Vapi unavailable while reading, up to `maxCallDurationMs`
 *   after placing: the call goes on whatever our reads do), VapiThrottledError (concurrency
 *   limit), PermanentJobError (not ended `maxCallDurationMs` after it was created),
 *   VapiUnavailableError past that bound, the Vapi client's other errors, CallRecordCorruptError.
 */
export async function followCall(deps: VoiceCallDeps, ctx: FollowCallContext): Promise<JobResult<'VOICE_CALL'>> {
  const now = deps.now ?? Date.now;
  const { vapiCallId } = ctx.record;
  const call = await readCall(deps, ctx);
  if (call.concurrencyBlocked) {
    await deps.records.clearVapiCallId(ctx.callId);
    throw new VapiThrottledError(null, `Vapi did not start call ${vapiCallId}: the organisation's concurrency limit was reached`);
  }
  if (call.status === 'ended') {
    const fresh = await deps.records.load(ctx.callId);
    const result = toCallResult(call, fresh.endReport);
    ctx.log.info({ vapiCallId, endedReason: result.endedReason, durationSeconds: result.durationSeconds }, 'call ended');
    return result;
  }
  const createdAt = call.createdAt ? Date.parse(call.createdAt) : (ctx.record.placingSince ?? now());
  if (now() - createdAt > deps.maxCallDurationMs) {
    throw new PermanentJobError(`Call ${vapiCallId} has not ended ${Math.round(deps.maxCallDurationMs / 60_000)} min after it was placed (status ${call.status})`);
  }
  await ctx.updateProgress({ step: 'following', vapiCallId, status: call.status });
  throw new WaitError(deps.pollIntervalMs, `call ${vapiCallId} is ${call.status}`);
}

async function readCall(deps: VoiceCallDeps, ctx: FollowCallContext): Promise<VapiCall> {
  const now = deps.now ?? Date.now;
  const { vapiCallId } = ctx.record;
  try {
    return await deps.vapi.get(vapiCallId, ctx.signal);
  } catch (err) {
    // The call exists and goes on whatever our reads do: a Vapi outage delays following it, it
    // must not fail the job (maxCallDurationMs still bounds the wait).
    if (!(err instanceof VapiUnavailableError) || ctx.signal.aborted) throw err;
    if (now() - (ctx.record.placingSince ?? now()) > deps.maxCallDurationMs) throw err;
    ctx.log.warn({ vapiCallId, reason: err.message }, 'reading the call failed: checking again later');
    throw new WaitError(deps.pollIntervalMs, `Vapi unavailable while following call ${vapiCallId}`);
  }
}
