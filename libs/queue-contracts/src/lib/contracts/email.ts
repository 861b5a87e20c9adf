import { z } from 'zod';
import { dateSchema, idSchema } from './common';
import { CONTRACT_LIMITS } from './contract-limits';

/** Mailbox providers a user can connect. */
export const emailProviderSchema = z.enum(['gmail', 'outlook']);
/** `'gmail'` (Gmail API) or `'outlook'` (Microsoft Graph). */
export type EmailProvider = z.infer<typeof emailProviderSchema>;

/**
 * `EMAIL_SYNC` data: incremental sync of one mailbox. Unknown fields are refused, as in every
 * job's data.
 * - `syncSince`: where the first sync starts (default: the worker's look-back,
 *   `EMAIL_SYNC_LOOKBACK_DAYS`); ignored once the mailbox has a cursor.
 */
export const emailSyncDataSchema = z.strictObject({
  userId: idSchema,
  accountId: idSchema,
  emailProvider: emailProviderSchema,
  syncSince: dateSchema.optional(),
});

/**
 * `EMAIL_SYNC` result.
 * - `fetched`: messages downloaded from the provider; `new`, `changed`, `deleted`: events handed
 *   to the app; `repeatsSkipped`: events already handed over by an earlier (crashed or resynced)
 *   run, not handed over again.
 * - `cursor`: the provider cursor saved (Gmail history id; Outlook delta links as JSON).
 * - `fullSync`: the mailbox was listed from a date rather than read from a cursor;
 *   `resyncReason` says why when a cursor existed (`'cursor-expired'`).
 * - `pages`: provider pages read; `durationMs`: time taken (ms).
 */
export const emailSyncResultSchema = z.object({
  fetched: z.number().int().nonnegative(),
  new: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  deleted: z.number().int().nonnegative(),
  repeatsSkipped: z.number().int().nonnegative(),
  cursor: z.string().nullable(),
  fullSync: z.boolean(),
  resyncReason: z.enum(['cursor-expired']).nullable(),
  pages: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
});

/** Tones a reply draft can be written in. */
export const draftToneSchema = z.enum(['professional', 'friendly', 'casual', 'formal', 'concise', 'persuasive']);

/**
 * `EMAIL_DRAFT` data: an AI reply draft for a thread, saved (never sent) in the user's mailbox.
 * - `threadId`: the provider's thread id (Gmail `threadId`, Graph `conversationId`), as carried
 *   by the synced messages.
 * - `context`: what the user wants the reply to say (at most
 *   `CONTRACT_LIMITS.MAX_DRAFT_CONTEXT_CHARS`, 20 000 characters).
 * - `accountId`, `emailProvider`: the mailbox the thread lives in. Optional, as the seed README
 *   calls it without them: the worker then asks the web app which mailboxes the user has
 *   connected and drafts in the one that holds the thread. Pass them when the app knows them.
 */
export const emailDraftDataSchema = z.strictObject({
  userId: idSchema,
  accountId: idSchema.optional(),
  emailProvider: emailProviderSchema.optional(),
  threadId: idSchema,
  context: z.string().max(CONTRACT_LIMITS.MAX_DRAFT_CONTEXT_CHARS),
  tone: draftToneSchema,
});

/**
 * `EMAIL_DRAFT` result: the saved draft and the model's token usage.
 * - `truncatedMessages`: older thread messages left out (or cut) to fit the model's context.
 */
export const emailDraftResultSchema = z.object({
  draftId: z.string(),
  threadId: z.string(),
  subject: z.string(),
  body: z.string(),
  model: z.string(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  truncatedMessages: z.number().int().nonnegative(),
});

/** An address from a message header: display name (may be empty) and address. */
export const emailAddressSchema = z.object({ name: z.string(), address: z.string() });

/** An attachment's metadata (content is never carried). `size` in bytes (decoded). */
export const emailAttachmentSchema = z.object({
  filename: z.string().nullable(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  inline: z.boolean(),
});

/**
 * A synced message, as the app receives it from the sync output (Redis Stream or webhook).
 * - `id`/`threadId`: the provider's ids (Gmail message/thread id; Graph message id and
 *   `conversationId`); `version`: the provider's change marker (Gmail `historyId`, Graph
 *   `changeKey`).
 * - `labels`: Gmail label ids, or the Outlook folder's well-known name.
 * - `date`: the Date header (ISO-8601) or null when missing or unreadable;
 *   `receivedAt`: when the provider received it (ISO-8601).
 * - `text`/`html`: bodies, each cut to 512 KiB of UTF-16 characters (`bodyTruncated` says so).
 */
export const syncedEmailMessageSchema = z.object({
  id: z.string(),
  threadId: z.string(),
  version: z.string(),
  internetMessageId: z.string().nullable(),
  from: z.array(emailAddressSchema),
  to: z.array(emailAddressSchema),
  cc: z.array(emailAddressSchema),
  replyTo: z.array(emailAddressSchema),
  subject: z.string().nullable(),
  date: z.string().nullable(),
  receivedAt: z.string(),
  text: z.string().nullable(),
  html: z.string().nullable(),
  bodyTruncated: z.boolean(),
  attachments: z.array(emailAttachmentSchema),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  labels: z.array(z.string()),
  sizeBytes: z.number().int().nonnegative(),
});
/** A synced message (see {@link syncedEmailMessageSchema}). */
export type SyncedEmailMessage = z.infer<typeof syncedEmailMessageSchema>;

const mailboxEventBase = {
  /**
   * Stable across re-deliveries: `provider:accountId:messageId:version` (or `:deleted`). The
   * receiver drops an event whose id it has seen.
   */
  eventId: z.string(),
  userId: z.string(),
  accountId: z.string(),
  provider: emailProviderSchema,
};

/**
 * One event of a mailbox sync, as handed to the app:
 * - `message`: a message new to the app, or changed (labels, folder, read state);
 * - `deleted`: a message deleted;
 * - `resync`: the provider no longer knew the sync's cursor (`reason: 'cursor-expired'`), so the
 *   mailbox is listed again from `since` (ISO-8601). Changes and deletions made while the cursor
 *   was lost, to messages received before `since`, could not be seen: reconcile those (or
 *   enqueue an `EMAIL_SYNC` after clearing the app's copy) if they matter. Comes before the
 *   events of the listing.
 */
export const mailboxEventSchema = z.discriminatedUnion('type', [
  z.object({ ...mailboxEventBase, type: z.literal('message'), change: z.enum(['new', 'changed']), message: syncedEmailMessageSchema }),
  z.object({ ...mailboxEventBase, type: z.literal('deleted'), messageId: z.string() }),
  z.object({ ...mailboxEventBase, type: z.literal('resync'), reason: z.literal('cursor-expired'), since: z.string() }),
]);
/** A mailbox sync event (see {@link mailboxEventSchema}). */
export type MailboxEvent = z.infer<typeof mailboxEventSchema>;
