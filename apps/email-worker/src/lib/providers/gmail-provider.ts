import { gmail, type gmail_v1 } from '@googleapis/gmail';
import { z } from 'zod';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { AccessTokenProvider } from '../credentials/access-token-provider';
import { withAccessToken } from '../credentials/with-access-token';
import type { MailboxRef } from '../mailbox-ref';
import { mapWithConcurrency } from '@jobs/worker-kit';
import { pageInBatches } from './page-in-batches';
import { mapGmailError } from './gmail-errors';
import type { MailChange, MailProvider, RawMailMessage, ReplyDraft, SyncPage, SyncStart, ThreadMessage } from './mail-provider';
import { CursorExpiredError } from './cursor-expired-error';
import { ProviderNotFoundError } from './provider-not-found-error';
import { ProviderRejectedError } from './provider-rejected-error';
import { parseSyncToken } from './parse-sync-token';
import { retryTransient } from './retry-transient';
import { UnreadableSyncTokenError } from './unreadable-sync-token-error';

/** Options of {@link GmailProvider}. */
export interface GmailProviderOptions {
  /** API root, `https://gmail.googleapis.com/` in production. */
  readonly rootUrl: string;
  readonly tokens: AccessTokenProvider;
  /** Messages (full listing) or history records (incremental) per page; Gmail allows 1–500. */
  readonly pageSize: number;
  /** Message downloads in flight per sync. */
  readonly fetchConcurrency: number;
  /** Per request (ms). */
  readonly requestTimeoutMs: number;
}

// Gmail history ids are unsigned 64-bit integers, in decimal (users.history.list startHistoryId).
const historyIdSchema = z.string().regex(/^\d{1,20}$/, 'not a Gmail history id');

// The checkpoint as this provider writes it; read back from Redis, so parsed (parseSyncToken).
const checkpointSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('full'), since: z.number().int().nonnegative(), pageToken: z.string(), historyId: historyIdSchema }),
  z.object({ mode: z.literal('history'), startHistoryId: historyIdSchema, pageToken: z.string() }),
]);
type Checkpoint = z.output<typeof checkpointSchema>;

/** Labels whose messages a sync does not hand over as new. */
const SKIPPED_NEW_LABELS = new Set(['DRAFT', 'SPAM', 'TRASH']);

// Record kinds the sync reads (developers.google.com/gmail/api/reference/rest/v1/users.history/list).
const HISTORY_TYPES = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'];

function base64url(buffer: Buffer): string {
  return buffer.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Gmail through the official `@googleapis/gmail` client.
 *
 * - Full sync: `users.getProfile` for the history id to continue from, then `users.messages.list`
 *   with `q=after:<epoch s>` and `users.messages.get?format=raw` per message.
 * - Incremental sync: `users.history.list` from the saved history id; a 404 means the id is
 *   older than Gmail keeps history (CursorExpiredError), as Gmail's sync guide prescribes
 *   (developers.google.com/gmail/api/guides/sync).
 * - Drafts (`label DRAFT`) are not synced. Reply drafts are `users.drafts.create` with the thread
 *   id and RFC 5322 In-Reply-To/References and a matching Subject — Gmail's conditions for a
 *   draft to join a thread (developers.google.com/gmail/api/guides/threads).
 * - The client's own retries are off (`retry: false`): 5xx reads are retried by
 *   `retryTransient`, throttling goes back to the job.
 */
export class GmailProvider implements MailProvider {
  private readonly api: gmail_v1.Gmail;

  constructor(private readonly options: GmailProviderOptions) {
    // Node's own fetch: gaxios would otherwise load node-fetch through a dynamic import, which
    // CommonJS test runners refuse; the client's retries are off (see the class comment).
    this.api = gmail({ version: 'v1', rootUrl: options.rootUrl, fetchImplementation: fetch, retry: false });
  }

  private request<T>(
    mailbox: MailboxRef,
    what: string,
    signal: AbortSignal,
    send: (options: { headers: Record<string, string>; signal: AbortSignal; timeout: number; retry: boolean }) => Promise<{ data: T }>,
    idempotent = true,
  ): Promise<T> {
    const once = (accessToken: string) =>
      send({ headers: { authorization: `Bearer ${accessToken}` }, signal, timeout: this.options.requestTimeoutMs, retry: false }).then(
        (response) => response.data,
        (err: unknown) => {
          throw mapGmailError(err, what);
        },
      );
    return withAccessToken(
      this.options.tokens,
      mailbox,
      (token) => (idempotent ? retryTransient(() => once(token), signal) : once(token)),
      signal,
    );
  }

  async mailboxAddress(mailbox: MailboxRef, signal: AbortSignal): Promise<string> {
    const profile = await this.request(mailbox, 'users.getProfile', signal, (o) => this.api.users.getProfile({ userId: 'me' }, o));
    return profile.emailAddress ?? '';
  }

  /** Downloads one message as MIME; null when it is gone (deleted since it was listed). */
  private async fetchRaw(mailbox: MailboxRef, id: string, signal: AbortSignal): Promise<(RawMailMessage & { isDraft: boolean }) | null> {
    try {
      const m = await this.request(mailbox, 'users.messages.get', signal, (o) =>
        this.api.users.messages.get({ userId: 'me', id, format: 'raw' }, o),
      );
      const labels = m.labelIds ?? [];
      return {
        id: m.id ?? id,
        threadId: m.threadId ?? id,
        version: m.historyId ?? '0',
        labels,
        receivedAt: new Date(Number(m.internalDate ?? Date.now())),
        raw: Buffer.from(m.raw ?? '', 'base64url'),
        isDraft: labels.includes('DRAFT'),
      };
    } catch (err) {
      if (err instanceof ProviderNotFoundError) return null;
      throw err;
    }
  }

  async *sync(mailbox: MailboxRef, start: SyncStart, signal: AbortSignal): AsyncIterable<SyncPage> {
    if (start.kind === 'full') {
      const profile = await this.request(mailbox, 'users.getProfile', signal, (o) => this.api.users.getProfile({ userId: 'me' }, o));
      yield* this.listPages(mailbox, start.since.getTime(), undefined, String(profile.historyId), signal);
    } else if (start.kind === 'incremental') {
      if (!historyIdSchema.safeParse(start.cursor).success) throw new UnreadableSyncTokenError('cursor', 'not a Gmail history id');
      yield* this.historyPages(mailbox, start.cursor, undefined, signal);
    } else {
      const checkpoint = parseSyncToken(checkpointSchema, start.checkpoint, 'checkpoint');
      try {
        if (checkpoint.mode === 'full') {
          yield* this.listPages(mailbox, checkpoint.since, checkpoint.pageToken, checkpoint.historyId, signal);
        } else {
          yield* this.historyPages(mailbox, checkpoint.startHistoryId, checkpoint.pageToken, signal);
        }
      } catch (err) {
        // Page tokens do not live for ever: an unusable one means starting over from a date.
        if (err instanceof ProviderRejectedError) throw new CursorExpiredError(`Gmail refused a saved page token: ${err.message}`, { cause: err });
        throw err;
      }
    }
  }

  private async *listPages(
    mailbox: MailboxRef,
    sinceMs: number,
    firstPageToken: string | undefined,
    historyId: string,
    signal: AbortSignal,
  ): AsyncIterable<SyncPage> {
    let pageToken = firstPageToken;
    do {
      const list = await this.request(mailbox, 'users.messages.list', signal, (o) =>
        this.api.users.messages.list(
          { userId: 'me', maxResults: this.options.pageSize, pageToken, q: `after:${Math.floor(sinceMs / 1000)}` },
          o,
        ),
      );
      const ids = (list.messages ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
      pageToken = list.nextPageToken ?? undefined;
      yield* pageInBatches({
        items: ids,
        batchSize: this.options.fetchConcurrency,
        download: (id) => this.fetchRaw(mailbox, id, signal),
        // Drafts are the user's work in progress; spam and trash are not listed either (as
        // messages.list leaves them out by default).
        toChange: (_id, message) => (message && !message.isDraft ? { kind: 'upsert', change: 'new', message } : null),
        head: [],
        checkpoint: JSON.stringify({ mode: 'full', since: sinceMs, pageToken: pageToken ?? '', historyId } satisfies Checkpoint),
        cursor: pageToken ? null : historyId,
        fullSync: true,
      });
    } while (pageToken);
  }

  private async *historyPages(
    mailbox: MailboxRef,
    startHistoryId: string,
    firstPageToken: string | undefined,
    signal: AbortSignal,
  ): AsyncIterable<SyncPage> {
    let pageToken = firstPageToken;
    do {
      let page: gmail_v1.Schema$ListHistoryResponse;
      try {
        page = await this.request(mailbox, 'users.history.list', signal, (o) =>
          this.api.users.history.list(
            { userId: 'me', startHistoryId, pageToken, maxResults: this.options.pageSize, historyTypes: HISTORY_TYPES },
            o,
          ),
        );
      } catch (err) {
        if (err instanceof ProviderNotFoundError) {
          throw new CursorExpiredError(`Gmail no longer has history from ${startHistoryId}`, { cause: err });
        }
        throw err;
      }
      // The net change per message over this page's records, in first-seen order, with the
      // history record that made it (a deletion's version).
      const net = new Map<string, { kind: 'new' | 'changed' | 'deleted'; recordId: string }>();
      for (const record of page.history ?? []) {
        const recordId = String(record.id ?? page.historyId ?? startHistoryId);
        for (const added of record.messagesAdded ?? []) {
          const m = added.message;
          const labels = m?.labelIds ?? [];
          // Drafts are not synced; nor is new spam or trash (a first sync does not list them).
          if (m?.id && !labels.some((l) => SKIPPED_NEW_LABELS.has(l))) net.set(m.id, { kind: 'new', recordId });
        }
        for (const changed of [...(record.labelsAdded ?? []), ...(record.labelsRemoved ?? [])]) {
          const id = changed.message?.id;
          if (id && !net.has(id) && !(changed.message?.labelIds ?? []).includes('DRAFT')) net.set(id, { kind: 'changed', recordId });
        }
        for (const deleted of record.messagesDeleted ?? []) {
          const m = deleted.message;
          if (m?.id && !(m.labelIds ?? []).includes('DRAFT')) net.set(m.id, { kind: 'deleted', recordId });
        }
      }
      const deletions: MailChange[] = [...net]
        .filter(([, n]) => n.kind === 'deleted')
        .map(([messageId, n]) => ({ kind: 'deleted', messageId, version: n.recordId }));
      const toFetch = [...net].filter(([, n]) => n.kind !== 'deleted');
      pageToken = page.nextPageToken ?? undefined;
      const pageHistoryId = String(page.historyId ?? startHistoryId);
      yield* pageInBatches({
        items: toFetch,
        batchSize: this.options.fetchConcurrency,
        download: ([id]) => this.fetchRaw(mailbox, id, signal),
        toChange: ([id, n], message) => {
          // Gone since the record was written: deleted later on (a later record says so too).
          if (!message) return { kind: 'deleted', messageId: id, version: pageHistoryId };
          if (message.isDraft) return null;
          return { kind: 'upsert', change: n.kind === 'new' ? 'new' : 'changed', message };
        },
        head: deletions,
        checkpoint: JSON.stringify({ mode: 'history', startHistoryId, pageToken: pageToken ?? '' } satisfies Checkpoint),
        cursor: pageToken ? null : pageHistoryId,
        fullSync: false,
      });
    } while (pageToken);
  }

  async readThread(mailbox: MailboxRef, threadId: string, signal: AbortSignal): Promise<ThreadMessage[]> {
    const thread = await this.request(mailbox, 'users.threads.get', signal, (o) =>
      this.api.users.threads.get({ userId: 'me', id: threadId, format: 'minimal' }, o),
    );
    const ids = (thread.messages ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
    const messages = await mapWithConcurrency(ids, this.options.fetchConcurrency, (id) => this.fetchRaw(mailbox, id, signal));
    return messages.filter((m): m is NonNullable<typeof m> => m !== null);
  }

  /**
   * A draft of this job already in the thread (created by an attempt whose answer was lost),
   * found by its Message-ID; its draft id, or null.
   */
  private async findDraftByMessageId(mailbox: MailboxRef, draft: ReplyDraft, signal: AbortSignal): Promise<string | null> {
    const header = `message-id: ${draft.draftMessageId}`.toLowerCase();
    const mine = draft.thread.find((m) => m.isDraft && m.raw.subarray(0, 8192).toString('latin1').toLowerCase().includes(header));
    if (!mine) return null;
    let pageToken: string | undefined;
    do {
      const list = await this.request(mailbox, 'users.drafts.list', signal, (o) =>
        this.api.users.drafts.list({ userId: 'me', maxResults: 500, pageToken }, o),
      );
      const found = (list.drafts ?? []).find((d) => d.message?.id === mine.id);
      if (found?.id) return found.id;
      pageToken = list.nextPageToken ?? undefined;
    } while (pageToken);
    return null;
  }

  async saveReplyDraft(
    mailbox: MailboxRef,
    draft: ReplyDraft,
    options: { existingDraftId: string | null; onCreated: (draftId: string) => Promise<void>; signal: AbortSignal },
  ): Promise<{ draftId: string; threadId: string }> {
    const { signal } = options;
    const threadId = draft.replyTo.threadId;
    const raw = await new MailComposer({
      messageId: draft.draftMessageId,
      from: draft.from,
      to: draft.to.map((a) => ({ name: a.name, address: a.address })),
      subject: draft.subject,
      text: draft.body,
      inReplyTo: draft.inReplyTo ?? undefined,
      references: [...draft.references],
    })
      .compile()
      .build();
    const requestBody = { message: { raw: base64url(raw), threadId } };

    let draftId = options.existingDraftId ?? (await this.findDraftByMessageId(mailbox, draft, signal));
    if (draftId !== null) {
      const id = draftId;
      try {
        await this.request(mailbox, 'users.drafts.update', signal, (o) => this.api.users.drafts.update({ userId: 'me', id, requestBody }, o));
      } catch (err) {
        // The user deleted the draft (or sent it) since the earlier attempt: write a new one.
        if (!(err instanceof ProviderNotFoundError)) throw err;
        draftId = null;
      }
    }
    if (draftId === null) {
      // Not idempotent on Gmail's side: never retried in place (a 5xx after creation would
      // otherwise create a second draft); the job's retry finds the recorded id instead.
      const created = await this.request(
        mailbox,
        'users.drafts.create',
        signal,
        (o) => this.api.users.drafts.create({ userId: 'me', requestBody }, o),
        false,
      );
      if (!created.id) throw new ProviderRejectedError('Gmail created a draft without an id');
      draftId = created.id;
      await options.onCreated(draftId);
    }
    const id = draftId;
    // Gmail starts a new thread when its threading conditions are not met, without an error.
    const saved = await this.request(mailbox, 'users.drafts.get', signal, (o) =>
      this.api.users.drafts.get({ userId: 'me', id, format: 'minimal' }, o),
    );
    const savedThreadId = saved.message?.threadId ?? '';
    if (savedThreadId !== threadId) {
      // Not where the user will look for it: remove it rather than leave a stray draft.
      await this.request(mailbox, 'users.drafts.delete', signal, (o) => this.api.users.drafts.delete({ userId: 'me', id }, o)).catch(() => undefined);
      throw new ProviderRejectedError(`Gmail put the draft in thread ${savedThreadId}, not in thread ${threadId} (it was deleted)`);
    }
    return { draftId: id, threadId };
  }
}
