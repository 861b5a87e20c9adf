import { z } from 'zod';
import { idSchema, metadataSchema } from './common';
import { phoneNumberSchema } from './phone-number';

/**
 * `VOICE_CALL` data: one outbound call through Vapi.
 * - `phoneNumber`: international format, its shape checked here (see `phoneNumberSchema`); the
 *   worker checks it is a valid number and normalises it to E.164.
 * - `metadata`: a JSON object of at most 16 KiB (see `metadataSchema`).
 */
export const voiceCallDataSchema = z.strictObject({
  userId: idSchema,
  callId: idSchema,
  phoneNumber: phoneNumberSchema,
  assistantId: idSchema,
  metadata: metadataSchema.optional(),
});

/** `VOICE_CALL` result: the call's outcome as Vapi reports it at its end. */
export const voiceCallResultSchema = z.object({
  vapiCallId: z.string(),
  status: z.string(),
  endedReason: z.string().nullable(),
  durationSeconds: z.number().nonnegative().nullable(),
  cost: z.number().nonnegative().nullable(),
  transcript: z.string().nullable(),
  summary: z.string().nullable(),
  recordingUrl: z.string().nullable(),
});
