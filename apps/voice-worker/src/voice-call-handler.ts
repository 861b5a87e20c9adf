import type { JobHandler } from '@jobs/worker-kit';
import { toJobError } from './lib/to-job-error';
import { followCall } from './steps/follow-call';
import { placeCall } from './steps/place-call';
import type { VoiceCallDeps } from './steps/voice-call-deps';

/** What the `VOICE_CALL` handler works with (see {@link VoiceCallDeps}). */
export type VoiceCallHandlerDeps = VoiceCallDeps;

/**
 * `VOICE_CALL`: places one outbound call through Vapi and follows it to its end without holding
 * a worker slot while it rings or talks. Each run of the handler is one pass of named steps:
 * 1. load the call's record (parsed; an unreadable one fails the job, naming its key) and bind
 *    it to this job, so the webhook receiver can wake it;
 * 2. {@link placeCall}: number check, calling window, placing lock, the call an earlier attempt
 *    placed, or a new one, recorded at once;
 * 3. {@link followCall}: ended → the result ({@link toCallResult}); else wait and check again.
 * Whatever a step throws goes through {@link toJobError}, the app's one map of errors to job
 * outcomes. A retry never places a second call: it follows the recorded Vapi id, or finds the
 * call by its `callId` among those created since "placing" was recorded.
 */
export function createVoiceCallHandler(deps: VoiceCallHandlerDeps): JobHandler<'VOICE_CALL'> {
  return async ({ job, data, signal, log, updateProgress }) => {
    try {
      let record = await deps.records.load(data.callId);
      if (job.id && record.jobId !== job.id) await deps.records.setJob(data.callId, job.id);
      record = await placeCall(deps, { data, record, signal, log, updateProgress });
      const vapiCallId = record.vapiCallId as string;
      return await followCall(deps, { callId: data.callId, record: { ...record, vapiCallId }, signal, log, updateProgress });
    } catch (err) {
      throw toJobError(err);
    }
  };
}
