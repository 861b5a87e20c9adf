import { z } from 'zod';
import { endReportSchema, type EndReport } from './end-report-schema';

/** The call a server message is about: Vapi's id and, for calls this worker placed, our `callId` in the metadata. */
const callRefSchema = z.looseObject({
  id: z.string().max(200).optional(),
  assistantOverrides: z.looseObject({ metadata: z.looseObject({ callId: z.string().min(1).max(200).optional() }).nullish() }).nullish(),
});

const envelopeSchema = z.looseObject({ message: z.looseObject({ type: z.string().min(1).max(100) }) });

const callMessageSchema = z.object({
  message: z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('status-update'), status: z.string().max(100).optional(), call: callRefSchema.optional() }),
    endReportSchema.extend({ type: z.literal('end-of-call-report'), call: callRefSchema.optional() }),
  ]),
});

/** A server message the worker acts on. */
export interface VapiCallMessage {
  readonly type: 'status-update' | 'end-of-call-report';
  /** Our `callId` from the call's metadata; null for a call this worker did not place. */
  readonly callId: string | null;
  readonly vapiCallId: string | null;
  /** Only for `end-of-call-report`: the parts the job result is built from. */
  readonly endReport: EndReport | null;
}

/** What {@link parseVapiServerMessage} made of a body. */
export type ParsedVapiServerMessage =
  | { readonly ok: true; readonly message: VapiCallMessage | null }
  | { readonly ok: false; readonly field: string; readonly problem: string };

/**
 * Parses the JSON body of a Vapi server message (docs.vapi.ai "Server events"; shapes of
 * `ServerMessageStatusUpdate` and `ServerMessageEndOfCallReport` in `@vapi-ai/server-sdk`):
 * `{ message: { type, call?: { id, assistantOverrides: { metadata: { callId } } }, ... } }`.
 * `status-update` and `end-of-call-report` are checked field by field (keys Vapi adds are let
 * through); any other type is well formed with a `message.type` and is not acted on
 * (`message: null`).
 * @returns the message, or the first field that does not parse (`message.cost`) and why; never throws.
 */
export function parseVapiServerMessage(body: unknown): ParsedVapiServerMessage {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return failure(envelope.error);
  const { type } = envelope.data.message;
  if (type !== 'status-update' && type !== 'end-of-call-report') return { ok: true, message: null };
  const parsed = callMessageSchema.safeParse(body);
  if (!parsed.success) return failure(parsed.error);
  const m = parsed.data.message;
  const endReport =
    m.type === 'end-of-call-report'
      ? {
          endedReason: m.endedReason,
          artifact: { transcript: m.artifact?.transcript, recordingUrl: m.artifact?.recordingUrl },
          analysis: { summary: m.analysis?.summary },
          startedAt: m.startedAt,
          endedAt: m.endedAt,
          cost: m.cost,
        }
      : null;
  return {
    ok: true,
    message: { type: m.type, callId: m.call?.assistantOverrides?.metadata?.callId ?? null, vapiCallId: m.call?.id ?? null, endReport },
  };
}

function failure(error: z.ZodError): ParsedVapiServerMessage {
  const issue = error.issues[0];
  return { ok: false, field: issue?.path.join('.') || 'body', problem: issue?.message ?? 'invalid' };
}
