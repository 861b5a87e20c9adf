import { z } from 'zod';

/**
 * The part of Vapi's end-of-call report the job result is built from, as the webhook receives
 * it and as the call record keeps it (JSON): `endedReason`, `artifact.transcript`,
 * `artifact.recordingUrl`, `analysis.summary`, `startedAt`/`endedAt` (ISO 8601) and `cost`
 * (USD). Every field may be absent or null (a call that never connected has no transcript).
 * Artifact and analysis keep other keys Vapi sends (messages, structured data); the record only
 * stores the ones above. Shape: Vapi's `ServerMessageEndOfCallReport` (`@vapi-ai/server-sdk`)
 * and docs.vapi.ai "End-of-call report".
 */
export const endReportSchema = z.object({
  endedReason: z.string().max(500).nullish(),
  artifact: z.looseObject({ transcript: z.string().nullish(), recordingUrl: z.string().nullish() }).nullish(),
  analysis: z.looseObject({ summary: z.string().nullish() }).nullish(),
  startedAt: z.string().max(100).nullish(),
  endedAt: z.string().max(100).nullish(),
  cost: z.number().nonnegative().nullish(),
});

/** An end-of-call report as the worker keeps it. */
export type EndReport = z.infer<typeof endReportSchema>;
