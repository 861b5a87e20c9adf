import { z } from 'zod';
import { endReportSchema, type EndReport } from './end-report-schema';

/** What the worker knows of one call (the app's `callId`) between job runs. */
export interface CallRecord {
  /** Vapi's call id, recorded as soon as Vapi answered the create. */
  readonly vapiCallId: string | null;
  /** When an attempt was about to create the call (ms since the epoch): a later attempt without a vapiCallId looks for it from here. */
  readonly placingSince: number | null;
  /** The BullMQ job following the call, woken by the webhook receiver. */
  readonly jobId: string | null;
  /** Vapi's end-of-call report, when the webhook brought it. */
  readonly endReport: EndReport | null;
}

/** The layout version this worker writes (hash field `v`) and the only one it reads. */
export const CALL_RECORD_VERSION = 1;

function parseJsonText(text: string, ctx: z.RefinementCtx): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
}

/**
 * A call record's Redis hash as read back (`HGETALL`: every field a string) → its typed form.
 * Fields: `v` (`'1'`), `vapiCallId`, `placingSince` (ms since the epoch, digits), `jobId`,
 * `endReport` (JSON of {@link endReportSchema}); each absent until written, so an empty hash is
 * a record of a call not yet placed. A hash without `v` was written before versioning, in the
 * same layout, and is read as version 1 (the next write stamps it). Strict: a field this worker
 * does not know (a newer layout) is refused, as is any other version.
 */
export const callRecordHashSchema = z
  .strictObject({
    v: z.literal(String(CALL_RECORD_VERSION), { error: `unknown version (this worker reads v${CALL_RECORD_VERSION})` }).optional(),
    vapiCallId: z.string().min(1).max(200).optional(),
    placingSince: z
      .string()
      .regex(/^\d{1,16}$/, 'expected ms since the epoch')
      .transform(Number)
      .optional(),
    jobId: z.string().min(1).max(200).optional(),
    endReport: z.string().transform(parseJsonText).pipe(endReportSchema).optional(),
  })
  .transform((h): CallRecord => ({
    vapiCallId: h.vapiCallId ?? null,
    placingSince: h.placingSince ?? null,
    jobId: h.jobId ?? null,
    endReport: h.endReport ?? null,
  }));
