import type { JobResult } from '@jobs/queue-contracts';
import type { EndReport } from '../lib/end-report-schema';
import type { VapiCall } from '../lib/vapi-calls';

/**
 * Step 3 of `VOICE_CALL`: the contract's result of an ended call. What Vapi's `GET /call/:id`
 * says wins; the end-of-call report (when the webhook brought one) fills what it left out
 * (transcript, summary, recording URL, cost, times). `durationSeconds` is `endedAt - startedAt`
 * in seconds (never negative), null when either is unknown; every other unknown is null.
 */
export function toCallResult(call: VapiCall, report: EndReport | null): JobResult<'VOICE_CALL'> {
  const started = call.startedAt ?? report?.startedAt ?? null;
  const ended = call.endedAt ?? report?.endedAt ?? null;
  const durationSeconds = started && ended ? Math.max(0, (Date.parse(ended) - Date.parse(started)) / 1000) : null;
  return {
    vapiCallId: call.id,
    status: call.status,
    endedReason: call.endedReason ?? report?.endedReason ?? null,
    durationSeconds,
    cost: call.cost ?? report?.cost ?? null,
    transcript: call.transcript ?? report?.artifact?.transcript ?? null,
    summary: call.summary ?? report?.analysis?.summary ?? null,
    recordingUrl: call.recordingUrl ?? report?.artifact?.recordingUrl ?? null,
  };
}
