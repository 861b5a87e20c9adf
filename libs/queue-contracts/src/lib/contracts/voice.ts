import { z } from 'zod';
import { idSchema, metadataSchema } from './common';

/**
 * `VOICE_CALL` data: one outbound call through Vapi. `phoneNumber` is checked and normalised to
 * E.164 by the worker (libphonenumber); here it only has to be a non-empty string.
 */
export const voiceCallDataSchema = z.object({
  userId: idSchema,
  callId: idSchema,
  phoneNumber: z.string().trim().min(3, 'must be a phone number').max(40),
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
