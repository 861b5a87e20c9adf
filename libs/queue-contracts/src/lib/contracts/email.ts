import { z } from 'zod';
import { dateSchema, idSchema } from './common';

/** Mailbox providers a user can connect. */
export const emailProviderSchema = z.enum(['gmail', 'outlook']);
/** `'gmail'` (Gmail API) or `'outlook'` (Microsoft Graph). */
export type EmailProvider = z.infer<typeof emailProviderSchema>;

/**
 * `EMAIL_SYNC` data: incremental sync of one mailbox.
 * - `syncSince`: first-sync look-back start; ignored once the mailbox has a cursor.
 */
export const emailSyncDataSchema = z.object({
  userId: idSchema,
  accountId: idSchema,
  emailProvider: emailProviderSchema,
  syncSince: dateSchema.optional(),
});

/** `EMAIL_SYNC` result: message counts, the cursor saved, and the time taken (ms). */
export const emailSyncResultSchema = z.object({
  fetched: z.number().int().nonnegative(),
  new: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  deleted: z.number().int().nonnegative(),
  cursor: z.string().nullable(),
  fullSync: z.boolean(),
  durationMs: z.number().nonnegative(),
});

/** Tones a reply draft can be written in. */
export const draftToneSchema = z.enum(['professional', 'friendly', 'casual', 'formal', 'concise', 'persuasive']);

/**
 * `EMAIL_DRAFT` data: an AI reply draft for a thread, saved (never sent) in the user's mailbox.
 * `accountId` and `emailProvider` are optional: when absent the worker resolves the user's
 * default mailbox.
 */
export const emailDraftDataSchema = z.object({
  userId: idSchema,
  threadId: idSchema,
  context: z.string().max(20_000),
  tone: draftToneSchema,
  accountId: idSchema.optional(),
  emailProvider: emailProviderSchema.optional(),
});

/** `EMAIL_DRAFT` result: the saved draft and the model's token usage. */
export const emailDraftResultSchema = z.object({
  draftId: z.string(),
  subject: z.string(),
  body: z.string(),
  model: z.string(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  truncatedMessages: z.number().int().nonnegative(),
});
